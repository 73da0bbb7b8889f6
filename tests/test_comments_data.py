"""`comments`: every label follows the Module 3 policy; times look like an export."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from smm_playbook import data
from smm_playbook.datagen import comments

# The contract's table: kind -> (action, tier); complaints are checked separately.
POLICY = {
    "praise": ("approve", 1),
    "question": ("respond", 1),
    "off_topic": ("hide", 1),
    "spam": ("delete", 1),
    "abuse": ("delete", 1),
    "safety": ("escalate", 3),
    "legal": ("escalate", 3),
    "press": ("escalate", 3),
    "influencer": ("escalate", 3),
}
TARGET_SHARES = {
    "praise": 0.28,
    "question": 0.24,
    "complaint": 0.16,
    "off_topic": 0.08,
    "spam": 0.13,
    "abuse": 0.05,
    "safety": 0.02,
    "legal": 0.015,
    "press": 0.01,
    "influencer": 0.015,
}
# What a careful reader spots in the words (both languages).
SAFETY = re.compile(
    r"glass|metal|hair|hives|allerg|silica|burn|boiling|mould|sick|best-before|"
    r"expired|plastic|choked|玻璃|金属|头发|过敏|红疹|干燥剂|烫|霉|肚子疼|过期|"
    r"塑料|呛|炸裂|虫",
    re.I,
)
LEGAL = re.compile(
    r"lawyer|solicitor|trading standards|consumer association|GDPR|\bsue\b|"
    r"trademark|court|\bASA\b|legal|regulator|\bICO\b|12315|律师|PIPL|侵权|起诉|"
    r"消协|消费者协会|商标|市场监管|工信部|法律"
)
OUTLETS = {name for lang in ("en", "zh") for name in comments.SLOTS[lang]["outlet"]}
STAMP = re.compile(r"^2025-03-\d\dT\d\d:\d\d:\d\d\+0[08]:00$")


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    return data.load("comments")


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True)


def test_shipped_file_is_seed_zero_and_about_two_thousand_rows(items):
    shipped = (ROOT / "src" / "smm_playbook" / "datasets" / "comments.csv").read_bytes()
    assert shipped == data.to_csv(comments.generate(np.random.default_rng(0)))
    assert 1900 <= len(items) <= 2100
    assert list(items["comment_id"]) == [f"M{i:05d}" for i in range(1, len(items) + 1)]


def test_kind_mix_is_close_to_the_brief(items):
    shares = items["kind"].value_counts(normalize=True)
    assert set(shares.index) == set(TARGET_SHARES)
    for kind, target in TARGET_SHARES.items():
        noise = np.sqrt(target * (1 - target) / len(items))  # binomial sd
        assert abs(shares[kind] - target) < 4 * noise, kind


def test_every_kind_has_its_action_and_tier(items):
    for kind, (action, tier) in POLICY.items():
        rows = items[items["kind"] == kind]
        assert (rows["action"] == action).all() and (rows["tier"] == tier).all()
    complaints = items[items["kind"] == "complaint"]
    pairs = set(zip(complaints["action"], complaints["tier"], strict=True))
    assert pairs == {("respond", 1), ("escalate", 2)}
    assert (complaints["tier"] == 2).mean() == pytest.approx(0.25, abs=0.08)


def _visible_trigger(rows: pd.DataFrame) -> pd.Series:
    words = rows["text"].str.contains(comments.REFUND_DEMAND) | rows[
        "text"
    ].str.contains(comments.REPEAT_COMPLAINT)
    followers = rows["author_followers"].between(10_000, 99_999)
    return followers | (rows["likes"] >= 5) | words


def test_tier_two_complaints_show_a_trigger_and_ordinary_ones_none(items):
    complaints = items[items["kind"] == "complaint"]
    trigger = _visible_trigger(complaints)
    assert trigger[complaints["tier"] == 2].all()
    assert not trigger[complaints["tier"] == 1].any()
    assert (complaints["author_followers"] < 100_000).all()
    # Each kind of trigger occurs, so learners meet them all.
    escalated = complaints[complaints["tier"] == 2]
    assert escalated["author_followers"].between(10_000, 99_999).any()
    assert (escalated["likes"] >= 5).any()
    assert escalated["text"].str.contains(comments.REFUND_DEMAND).any()
    assert escalated["text"].str.contains(comments.REPEAT_COMPLAINT).any()


def test_influencers_are_big_accounts_and_spam_bots_tiny(items):
    assert (
        items.loc[items["kind"] == "influencer", "author_followers"] >= 100_000
    ).all()
    assert (items.loc[items["kind"] == "spam", "author_followers"] < 100).all()
    followers = items["author_followers"]
    assert followers.median() < 2_000 and followers.max() >= 100_000
    assert followers.between(10_000, 99_999).mean() > 0.02


def test_tier_three_items_are_identifiable_from_their_text(items):
    for kind, pattern in (("safety", SAFETY), ("legal", LEGAL)):
        rows = items[items["kind"] == kind]
        assert rows["text"].str.contains(pattern).all(), kind
        assert set(rows["language"]) == {"en", "zh"}
    press = items.loc[items["kind"] == "press", "text"]
    assert press.map(lambda text: any(o in text for o in OUTLETS)).all()


def _pattern(template: str) -> re.Pattern:
    """A template as a regex: its words (any case), each {slot} as anything."""
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts), re.I)


@pytest.mark.parametrize("kind", comments.COVERED)
def test_every_safety_and_legal_template_appears_in_both_languages(items, kind):
    # The exercise grades triage on another seed and fails any missed safety or
    # legal item, so the shipped file must show learners every pattern there is.
    for lang in ("en", "zh"):
        texts = items.loc[(items["kind"] == kind) & (items["language"] == lang), "text"]
        for template in comments.TEMPLATES[kind][lang]:
            assert texts.str.contains(_pattern(template)).any(), template


def test_the_keyword_traps_are_there_with_defensible_labels(items):
    def kinds_of(pattern: str) -> set[str]:
        return set(items.loc[items["text"].str.contains(pattern), "kind"])

    assert "praise" in kinds_of("no bitter burn")
    assert "question" in kinds_of("refund policy|退款政策")
    assert "spam" in kinds_of("bit.ly/")
    assert "spam" in kinds_of("[Rr]efund|退款")


def test_likes_only_on_comments_and_mostly_few(items):
    assert (items.loc[items["channel"] == "dm", "likes"] == 0).all()
    assert items["likes"].le(3).mean() > 0.9


def test_platforms_channels_and_languages(items):
    chinese = items["platform"].isin(comments.CHINESE)
    assert set(items["platform"]) == set(comments.PLATFORMS)
    assert chinese.mean() == pytest.approx(0.45, abs=0.04)
    assert set(items["channel"]) == {"comment", "dm"}
    wechat = items[items["platform"] == "WeChat"]
    assert (wechat["channel"] == "dm").mean() > 0.7
    for group in (chinese, ~chinese):
        assert set(items.loc[group, "language"]) == {"en", "zh"}
    assert (items.loc[chinese, "language"] == "zh").mean() > 0.95
    assert (items.loc[~chinese, "language"] == "en").mean() > 0.93


def test_timestamps_carry_the_platform_teams_offset(items):
    chinese = items["platform"].isin(comments.CHINESE)
    offset = np.where(chinese, "+08:00", "+00:00")
    assert items["created_at"].str.match(STAMP).all()
    assert (items["created_at"].str[-6:] == offset).all()
    answered = items["first_response_at"].notna()
    assert items.loc[answered, "first_response_at"].str.match(STAMP).all()
    assert (items.loc[answered, "first_response_at"].str[-6:] == offset[answered]).all()
    local_day = items["created_at"].str[:10]
    assert local_day.min() == "2025-03-03" and local_day.max() == "2025-03-16"


def test_ids_follow_time_order(items):
    assert _utc(items["created_at"]).is_monotonic_increasing


def test_responses_only_where_the_team_acts_and_never_too_early_or_late(items):
    acts = items["action"].isin(["respond", "escalate"])
    assert items.loc[~acts, "first_response_at"].isna().all()
    assert items.loc[acts, "first_response_at"].isna().any()
    answered = items["first_response_at"].notna()
    created = _utc(items.loc[answered, "created_at"])
    response = _utc(items.loc[answered, "first_response_at"])
    assert (response >= created).all()
    local_day = items.loc[answered, "first_response_at"].str[:10]
    assert (local_day <= "2025-03-17").all()


def test_tiers_are_answered_faster_and_more_often_as_they_rise(items):
    acts = items[items["action"].isin(["respond", "escalate"])]
    delay = (
        _utc(acts["first_response_at"]) - _utc(acts["created_at"])
    ).dt.total_seconds() / 60
    answered = delay.notna().groupby(acts["tier"]).mean()
    median = delay.groupby(acts["tier"]).median()
    assert 0.7 < answered[1] < 0.9 and answered[2] > 0.85 and answered[3] > 0.9
    assert median[3] < median[2] < median[1]
    assert 90 < median[1] < 240 and 20 < median[2] < 90 and median[3] < 40
    assert delay.max() < 3 * 24 * 60  # two days, plus a weekend night at most


def test_texts_are_varied_and_single_line(items):
    assert items["text"].nunique() / len(items) >= 0.6
    assert not items["text"].str.contains("\n").any()
    assert not items["text"].str.contains(r"\{|\}").any()  # every slot was filled
    for kind in TARGET_SHARES:
        for lang in ("en", "zh"):
            assert ((items["kind"] == kind) & (items["language"] == lang)).any(), (
                kind,
                lang,
            )


def test_arrivals_follow_the_daily_rhythm(items):
    intensity = np.array(comments.HOURLY_INTENSITY)
    assert intensity.shape == (24,) and (intensity > 0).all()
    assert 19 <= intensity.argmax() <= 22 and 1 <= intensity.argmin() <= 6
    hour = items["created_at"].str[11:13].astype(int)
    assert hour.between(19, 22).mean() > 3 * hour.between(1, 4).mean()


def test_triage_fields_are_columns_without_labels():
    columns = data.DATASETS["comments"].columns
    assert set(comments.TRIAGE_FIELDS) <= set(columns)
    assert not {"kind", "action", "tier"} & set(comments.TRIAGE_FIELDS)


def test_different_seeds_give_different_comments():
    one = comments.generate(np.random.default_rng(1))
    two = comments.generate(np.random.default_rng(2))
    again = comments.generate(np.random.default_rng(1))
    pd.testing.assert_frame_equal(one, again)
    assert not one.equals(two)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "datasets"
    shutil.copytree(ROOT / "src" / "smm_playbook" / "datasets", target)
    monkeypatch.setenv("SMM_PLAYBOOK_DATA", str(target))
    return target


def _rewrite(folder, frame: pd.DataFrame) -> None:
    content = data.to_csv(frame)
    (folder / "comments.csv").write_bytes(content)
    (folder / "manifest.json").write_text(
        f'{{"comments": {{"sha256": "{data.sha256(content)}", "rows": {len(frame)}}}}}'
    )


def test_a_blank_response_is_allowed_but_not_a_bad_one(data_copy):
    frame = pd.read_csv(data_copy / "comments.csv", dtype=str)
    answered = frame.index[frame["first_response_at"].notna()]
    frame.loc[answered[5], "first_response_at"] = "soon"
    _rewrite(data_copy, frame)
    with pytest.raises(data.DatasetError, match="first_response_at.*not timestamps"):
        data.load("comments")


def test_a_blank_arrival_time_is_refused(data_copy):
    frame = pd.read_csv(data_copy / "comments.csv", dtype=str)
    frame.loc[0, "created_at"] = np.nan
    _rewrite(data_copy, frame)
    with pytest.raises(data.DatasetError, match="created_at.*blank"):
        data.load("comments")
