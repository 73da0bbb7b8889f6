"""Module 7, creators: vet a shortlist, compare quotes, audit disclosure, buy the
right contract terms and plan reach and measurement.

Every scenario is drawn from the paper's random stream; the prose is in
`m7_creators.yaml`. Each builder computes its keys from the paper's data with the
module's rules (the screen, cost per 1,000 of the target, the three disclosure
regimes, the rate card's uplifts, random duplication).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    frame_code,
    match_part,
    multi_part,
    order_part,
    prose_of,
    value_part,
)
from smm_playbook.sim.channel_planner import deduplicated_reach

TEXT = prose_of(__name__)


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


def _handles(rng: np.random.Generator, count: int) -> list[str]:
    names = TEXT["handles"]
    return [names[int(i)] for i in rng.choice(len(names), count, replace=False)]


# --- 1. Vet a shortlist on audience quality, then book ------------------------------


def flagged(shortlist) -> np.ndarray:
    """The paper's screen: a one-day step in followers, or mostly generic comments."""
    largest = np.asarray(shortlist["largest_gain_pct"], dtype=float)
    second = np.asarray(shortlist["second_gain_pct"], dtype=float)
    generic = np.asarray(shortlist["generic_comments_pct"], dtype=float)
    return ((largest > 1.5) & (largest > 4 * second)) | (generic > 50)


def target_cpm(shortlist) -> np.ndarray:
    """CNY per 1,000 people of the target reached by one post."""
    share = (
        np.asarray(shortlist["in_market_pct"], dtype=float)
        * np.asarray(shortlist["female_pct"], dtype=float)
        * np.asarray(shortlist["age_18_34_pct"], dtype=float)
        / 1e6
    )
    reach = np.asarray(shortlist["avg_reach"], dtype=float)
    return 1000 * np.asarray(shortlist["fee_cny"], dtype=float) / (reach * share)


def _vet_profile(rng, kind: str) -> dict:
    followers = float(np.exp(rng.uniform(np.log(30_000), np.log(600_000))))
    reach_rate = rng.uniform(0.12, 0.3)
    in_market = rng.uniform(80, 95)
    er = rng.uniform(0.03, 0.07)
    generic = rng.uniform(10, 40)
    largest = rng.uniform(0.3, 0.9)
    second = largest * rng.uniform(0.6, 0.95)
    if kind == "viral":
        largest = rng.uniform(2.0, 4.0)
        second = largest * rng.uniform(0.5, 0.8)
    if kind == "bought":
        reach_rate *= rng.uniform(0.5, 0.7)
        in_market = rng.uniform(45, 65)
        largest = rng.uniform(7.0, 14.0)
        second = rng.uniform(0.3, 0.8)
    if kind == "pod":
        er = rng.uniform(0.12, 0.2)
        generic = rng.uniform(58, 80)
    reach = followers * reach_rate
    return {
        "followers": round(followers, -2),
        "avg_reach": round(reach, -2),
        "avg_engagements": round(reach * er),
        "in_market_pct": round(in_market, 1),
        "female_pct": round(rng.uniform(55, 92), 1),
        "age_18_34_pct": round(rng.uniform(40, 80), 1),
        "generic_comments_pct": round(generic, 1),
        "largest_gain_pct": round(largest, 2),
        "second_gain_pct": round(second, 2),
    }


def vet_creator(rng: np.random.Generator) -> Section:
    text = TEXT["vet"]
    while True:
        bad = [_pick(rng, ("bought", "pod"))] + (
            [_pick(rng, ("bought", "pod"))] if rng.random() < 0.5 else []
        )
        kinds = bad + ["clean", "clean", _pick(rng, ("clean", "viral"))]
        kinds = [kinds[int(i)] for i in rng.permutation(len(kinds))]
        rows = [_vet_profile(rng, kind) for kind in kinds]
        columns = {key: np.array([row[key] for row in rows]) for key in rows[0]}
        # fees follow reach; a flagged account is priced on its inflated numbers
        columns["fee_cny"] = np.round(
            columns["avg_reach"] * rng.uniform(0.05, 0.1, len(rows)), -2
        )
        screen = flagged(columns)
        ok = np.flatnonzero(~screen)
        if screen.sum() != len(bad) or len(ok) < 3:
            continue
        cpm = target_cpm(columns)
        best = ok[np.argmin(cpm[ok])]
        trap = np.flatnonzero(screen)[0]
        # the flagged account looks the best buy, which is the trap
        columns["fee_cny"][trap] = np.round(
            columns["fee_cny"][trap] * cpm[best] / cpm[trap] * rng.uniform(0.6, 0.85),
            -2,
        )
        others = np.sort(cpm[ok])
        trap_cpm = target_cpm(columns)[trap]
        if (
            others[1] > 1.08 * others[0]
            and columns["fee_cny"].min() > 0
            and trap_cpm < 0.95 * others[0]
        ):
            break
    for key in ("followers", "avg_reach", "avg_engagements", "fee_cny"):
        columns[key] = columns[key].astype(int)
    shortlist = pd.DataFrame(
        {
            "creator": _handles(rng, len(rows)),
            "platform": [_pick(rng, TEXT["cn_platforms"]) for _ in rows],
            **columns,
        }
    )
    names = list(shortlist["creator"])
    er_of = int(_pick(rng, list(range(len(names)))))
    cpm_of = int(_pick(rng, [i for i in range(len(names)) if i != er_of]))
    row_er, row_cpm = shortlist.iloc[er_of], shortlist.iloc[cpm_of]
    er = 100 * row_er["avg_engagements"] / row_er["avg_reach"]
    share = row_cpm["in_market_pct"] * row_cpm["female_pct"] * row_cpm["age_18_34_pct"]
    expected_cpm = 1000 * row_cpm["fee_cny"] / (row_cpm["avg_reach"] * share / 1e6)
    parts_text = text["parts"]
    why_flag = {
        i: parts_text["vet_creator_to_book"]["why"]["flagged"]
        for i in np.flatnonzero(screen)
    }
    why_dear = {
        i: parts_text["vet_creator_to_book"]["why"]["dearer"]
        for i in np.flatnonzero(~screen)
        if i != best
    }
    why_flags = {
        i: parts_text["vet_red_flags"]["why"]["viral"]
        if shortlist.loc[i, "largest_gain_pct"] > 1.5
        else parts_text["vet_red_flags"]["why"]["clean"]
        for i in np.flatnonzero(~screen)
    }
    parts = (
        value_part(
            "vet_er_reach_pct",
            1,
            parts_text["vet_er_reach_pct"]["prompt"].format(creator=names[er_of]),
            er,
            rtol=0.01,
            wrong=[
                (
                    100 * row_er["avg_engagements"] / row_er["followers"],
                    parts_text["vet_er_reach_pct"]["wrong"]["followers"],
                ),
                (er / 100, parts_text["vet_er_reach_pct"]["wrong"]["fraction"]),
            ],
            model=(
                f"row = shortlist.set_index('creator').loc[{names[er_of]!r}]\n"
                "vet_er_reach_pct = 100 * row['avg_engagements'] / row['avg_reach']"
            ),
        ),
        value_part(
            "vet_target_cpm_cny",
            1,
            parts_text["vet_target_cpm_cny"]["prompt"].format(creator=names[cpm_of]),
            expected_cpm,
            rtol=0.01,
            wrong=[
                (
                    1000 * row_cpm["fee_cny"] / row_cpm["avg_reach"],
                    parts_text["vet_target_cpm_cny"]["wrong"]["all_reach"],
                ),
                (
                    1000 * row_cpm["fee_cny"] / (row_cpm["followers"] * share / 1e6),
                    parts_text["vet_target_cpm_cny"]["wrong"]["followers"],
                ),
            ],
            model=(
                f"row = shortlist.set_index('creator').loc[{names[cpm_of]!r}]\n"
                "target_share = row['in_market_pct'] * row['female_pct'] * "
                "row['age_18_34_pct'] / 1e6\n"
                "vet_target_cpm_cny = 1000 * row['fee_cny'] / "
                "(row['avg_reach'] * target_share)"
            ),
        ),
        multi_part(
            "vet_red_flags",
            1,
            parts_text["vet_red_flags"]["prompt"],
            names,
            set(np.flatnonzero(screen).tolist()),
            why_flags,
            rng=rng,
        ),
        choice_part(
            "vet_creator_to_book",
            1,
            parts_text["vet_creator_to_book"]["prompt"],
            names,
            int(best),
            why_flag | why_dear,
            rng=rng,
        ),
    )
    return Section(
        "m7_vet_creator",
        "7",
        text["title"],
        text["prompt"],
        frame_code("shortlist", shortlist),
        parts,
    )


# --- 2. Compare quotes on cost per view in the target --------------------------------


def vet_quotes(quotes) -> dict[str, np.ndarray]:
    """Cost per 1,000 views, per engagement and per 1,000 views in the target."""
    fee = np.asarray(quotes["fee"], dtype=float)
    views = np.asarray(quotes["expected_views"], dtype=float)
    in_target = views * np.asarray(quotes["target_share_pct"], dtype=float) / 100
    return {
        "per_view": 1000 * fee / views,
        "per_engagement": fee / np.asarray(quotes["expected_engagements"], dtype=float),
        "target": 1000 * fee / in_target,
    }


def cost_per_view(rng: np.random.Generator) -> Section:
    text = TEXT["quotes"]
    market = _pick(rng, TEXT["markets"])
    currency = market["currency"]
    while True:
        count = 4
        views = np.round(
            np.exp(rng.uniform(np.log(60_000), np.log(900_000), count)), -3
        )
        per_view = rng.uniform(*market["cost_per_view"], count)
        columns = {
            "fee": np.round(views * per_view, -1).astype(int),
            "expected_views": views.astype(int),
            "expected_engagements": np.round(
                views * rng.uniform(0.02, 0.12, count)
            ).astype(int),
            "target_share_pct": np.round(rng.uniform(25, 85, count), 1),
        }
        costs = vet_quotes(columns)
        best = int(np.argmin(costs["target"]))
        ordered = np.sort(costs["target"])
        if ordered[-1] * 0.95 <= ordered[0] * 1.05:
            continue
        benchmark = float(
            np.round(rng.uniform(ordered[0] * 1.05, ordered[-1] * 0.95), 1)
        )
        beats = set(np.flatnonzero(costs["target"] < benchmark).tolist())
        if (
            ordered[1] > 1.08 * ordered[0]
            and int(np.argmin(costs["per_view"])) != best
            and 0 < len(beats) < count
            and np.min(np.abs(costs["target"] - benchmark)) > 0.03 * benchmark
        ):
            break
    quotes = pd.DataFrame(
        {
            "creator": _handles(rng, count),
            "platform": [_pick(rng, market["video_platforms"]) for _ in range(count)],
            **columns,
        }
    )
    names = list(quotes["creator"])
    view_of, eng_of = (int(i) for i in rng.choice(count, 2, replace=False))
    parts_text = text["parts"]
    row_e = quotes.iloc[eng_of]
    why_best = {
        i: parts_text["cpv_best_value_creator"]["why"]["cheap_views"]
        if i == int(np.argmin(costs["per_view"]))
        else parts_text["cpv_best_value_creator"]["why"]["dearer"]
        for i in range(count)
        if i != best
    }
    why_beats = {
        i: parts_text["cpv_beats_paid"]["why"]["above"]
        for i in range(count)
        if i not in beats
    }
    prompt = text["prompt"].format(
        market=market["name"], currency=currency, benchmark=f"{benchmark:,.1f}"
    )
    parts = (
        value_part(
            "cpv_cost_per_thousand_views",
            1,
            parts_text["cpv_cost_per_thousand_views"]["prompt"].format(
                creator=names[view_of], currency=currency
            ),
            costs["per_view"][view_of],
            rtol=0.01,
            wrong=[
                (
                    costs["per_view"][view_of] / 1000,
                    parts_text["cpv_cost_per_thousand_views"]["wrong"]["per_view"],
                )
            ],
            model=(
                f"row = quotes.set_index('creator').loc[{names[view_of]!r}]\n"
                "cpv_cost_per_thousand_views = 1000 * row['fee'] / "
                "row['expected_views']"
            ),
        ),
        value_part(
            "cpv_cost_per_engagement",
            1,
            parts_text["cpv_cost_per_engagement"]["prompt"].format(
                creator=names[eng_of], currency=currency
            ),
            costs["per_engagement"][eng_of],
            rtol=0.01,
            wrong=[
                (
                    row_e["expected_engagements"] / row_e["fee"],
                    parts_text["cpv_cost_per_engagement"]["wrong"]["inverted"],
                )
            ],
            model=(
                f"row = quotes.set_index('creator').loc[{names[eng_of]!r}]\n"
                "cpv_cost_per_engagement = row['fee'] / row['expected_engagements']"
            ),
        ),
        choice_part(
            "cpv_best_value_creator",
            1,
            parts_text["cpv_best_value_creator"]["prompt"],
            names,
            best,
            why_best,
            rng=rng,
        ),
        multi_part(
            "cpv_beats_paid",
            1,
            parts_text["cpv_beats_paid"]["prompt"].format(
                benchmark=f"{benchmark:,.1f}", currency=currency
            ),
            names,
            beats,
            why_beats,
            rng=rng,
        ),
    )
    return Section(
        "m7_cost_per_view",
        "7",
        text["title"],
        prompt,
        frame_code("quotes", quotes),
        parts,
    )


# --- 3. Audit a programme's posts against three markets' rules ------------------------

RULES = ("ftc", "cap", "cma", "china", "none")
FIXES = ("add", "replace", "move", "nothing")


def rule_for(post) -> str:
    """Which regime decides whether the post must be labelled."""
    if post["relationship"] == "none":
        return "none"
    if post["market"] == "US":
        return "ftc"
    if post["market"] == "Mainland China":
        return "china"
    controlled = post["relationship"] == "paid" and post["brand_approved"] == "yes"
    return "cap" if controlled else "cma"


def breach_of(post) -> str:
    """'nothing' if compliant, else the fix the post needs."""
    if post["relationship"] == "none":
        return "nothing"
    plain = TEXT["disclosure"]["plain_labels"][
        "china" if post["market"] == "Mainland China" else "west"
    ]
    if post["label"] == "none":
        return "add"
    if post["label"] not in plain:
        return "replace"
    if post["label_position"] != "first line":
        return "move"
    return "nothing"


def _post(rng, market: str, breach: str) -> dict:
    labels = TEXT["disclosure"]
    china = market == "Mainland China"
    relationship = "paid" if china else _pick(rng, ("paid", "paid", "gifted"))
    plain = labels["plain_labels"]["china" if china else "west"]
    vague = labels["vague_labels"]["china" if china else "west"]
    label, position = _pick(rng, plain), "first line"
    if breach == "none_needed":
        relationship, label, position = "none", "none", "—"
    elif breach == "add":
        label, position = "none", "—"
    elif breach == "replace":
        label, position = (
            _pick(rng, vague),
            _pick(rng, ("first line", "end of caption")),
        )
    elif breach == "move":
        position = _pick(rng, ("end of caption", "below 'more'"))
    platforms = labels["platforms"]["china" if china else "west"]
    return {
        "market": market,
        "platform": _pick(rng, platforms),
        "relationship": relationship,
        "brand_approved": "yes"
        if relationship == "paid" and rng.random() < 0.8
        else "no",
        "shopping_link": "yes" if china or rng.random() < 0.4 else "no",
        "label": label,
        "label_position": position,
    }


def disclosure_audit(rng: np.random.Generator) -> Section:
    text = TEXT["disclosure"]
    markets = ("US", "UK", "Mainland China")
    while True:
        kinds = ["compliant", "compliant", "add", "replace", "move", "none_needed"]
        kinds += [_pick(rng, ("compliant", "add", "replace", "move")) for _ in range(4)]
        rows = [_post(rng, _pick(rng, markets), k) for k in kinds]
        rows = [rows[int(i)] for i in rng.permutation(len(rows))]
        fixes = np.array([breach_of(row) for row in rows])
        rules = np.array([rule_for(row) for row in rows])
        shown = np.sort(rng.choice(len(rows), 5, replace=False))
        breached = [i for i, k in enumerate(shown) if fixes[k] != "nothing"]
        if 0 < len(breached) < 5 and len(set(rules)) >= 3:
            break
    posts = pd.DataFrame(rows)
    posts.insert(0, "post", [f"P{i + 1:02d}" for i in range(len(posts))])
    needs = posts["relationship"] != "none"
    compliant = needs & (fixes == "nothing")
    compliant_pct = 100 * compliant.sum() / needs.sum()
    parts_text = text["parts"]
    ids = list(posts["post"])
    options = [ids[k] for k in shown]
    why_breach = {
        i: parts_text["disclosure_breaches"]["why"]["compliant"]
        for i, k in enumerate(shown)
        if fixes[k] == "nothing"
    }
    matched = [int(i) for i in rng.choice(len(posts), 3, replace=False)]
    while len({rules[i] for i in matched}) < 2:
        matched = [int(i) for i in rng.choice(len(posts), 3, replace=False)]
    rule_names = [text["rules"][r] for r in RULES]
    items = [
        parts_text["disclosure_rule"]["item"].format(
            post=ids[i], market=rows[i]["market"]
        )
        for i in matched
    ]
    # the usual slip: deciding by market alone (no relationship, no control)
    by_market = {"US": "ftc", "UK": "cap", "Mainland China": "china"}
    naive = [RULES.index(by_market[rows[i]["market"]]) for i in matched]
    fix_post = int(_pick(rng, np.flatnonzero(fixes != "nothing").tolist()))
    fix_names = [text["fixes"][f] for f in FIXES]
    parts = (
        value_part(
            "disclosure_compliant_pct",
            1,
            parts_text["disclosure_compliant_pct"]["prompt"],
            compliant_pct,
            rtol=0.01,
            wrong=[
                (
                    100 * compliant.sum() / len(posts),
                    parts_text["disclosure_compliant_pct"]["wrong"]["all_posts"],
                ),
                (
                    100 * (posts["label_position"] == "first line").sum() / needs.sum(),
                    parts_text["disclosure_compliant_pct"]["wrong"]["position_only"],
                ),
            ],
            model=(
                "plain = {'US': {'#ad', 'Ad'}, 'UK': {'#ad', 'Ad'}, "
                "'Mainland China': {'广告'}}\n"
                "needs = posts[posts['relationship'] != 'none']\n"
                "plain_label = [label in plain[market] for label, market in "
                "zip(needs['label'], needs['market'])]\n"
                "ok = pd.Series(plain_label, index=needs.index) & "
                "(needs['label_position'] == 'first line')\n"
                "disclosure_compliant_pct = 100 * ok.mean()"
            ),
        ),
        multi_part(
            "disclosure_breaches",
            1,
            parts_text["disclosure_breaches"]["prompt"],
            options,
            set(breached),
            why_breach,
            rng=rng,
        ),
        match_part(
            "disclosure_rule",
            1,
            parts_text["disclosure_rule"]["prompt"],
            items,
            rule_names,
            [RULES.index(rules[i]) for i in matched],
            wrong=[(naive, parts_text["disclosure_rule"]["wrong"]["by_market_only"])]
            if naive != [RULES.index(rules[i]) for i in matched]
            else [],
            rng=rng,
        ),
        choice_part(
            "disclosure_fix",
            1,
            parts_text["disclosure_fix"]["prompt"].format(post=ids[fix_post]),
            fix_names,
            FIXES.index(fixes[fix_post]),
            {
                i: parts_text["disclosure_fix"]["why"][f]
                for i, f in enumerate(FIXES)
                if f != fixes[fix_post]
            },
            rng=rng,
        ),
    )
    return Section(
        "m7_disclosure_audit",
        "7",
        text["title"],
        text["prompt"],
        frame_code("posts", posts),
        parts,
    )


# --- 4. Price the package and buy the terms the brand needs --------------------------


def package_price(fee: float, usage_rate: float, months: int, excl_rate, excl) -> float:
    """The rate card's rule: uplifts are shares of the content fee, added."""
    return fee * (1 + usage_rate * months + excl_rate * excl)


def contract_terms(rng: np.random.Generator) -> Section:
    text = TEXT["contract"]
    market = _pick(rng, TEXT["markets"])
    currency = market["currency"]
    fee = float(np.round(rng.uniform(*market["content_fee"]), -2))
    usage_rate = float(_pick(rng, (0.10, 0.15, 0.20)))
    excl_rate = float(_pick(rng, (0.05, 0.10)))
    months = int(rng.integers(2, 5))
    excl = int(rng.integers(1, 3))
    views = float(np.round(rng.uniform(150_000, 1_200_000), -3))
    price = package_price(fee, usage_rate, months, excl_rate, excl)
    while True:
        base = fee * rng.uniform(0.95, 1.05, 3)
        usage = np.array([0, months, months + 1])[rng.permutation(3)]
        rounds = np.array([2, 2, 2])
        if rng.random() < 0.5:  # sometimes the cheapest full offer skips approvals
            rounds[int(np.flatnonzero(usage >= months)[0])] = 0
        price_of = np.round(base * (1 + usage_rate * usage + excl_rate * excl), -1)
        cheapest = int(np.argmin(price_of))
        price_of[cheapest] = np.round(price_of[cheapest] * 0.8, -1)
        covers = (usage >= months) & (rounds >= 1)
        if covers.any() and len(set(price_of)) == 3:
            take = int(np.flatnonzero(covers)[np.argmin(price_of[covers])])
            if take != cheapest:
                break
    offers = pd.DataFrame(
        {
            "offer": ["A", "B", "C"],
            "price": price_of.astype(int),
            "usage_months": usage,
            "exclusivity_months": [excl] * 3,
            "approval_rounds": rounds,
        }
    )
    needs = [
        text["needs"][int(i)] for i in rng.choice(len(text["needs"]), 3, replace=False)
    ]
    clauses = list(text["clauses"])
    matches = [clauses.index(n["clause"]) for n in needs]
    parts_text = text["parts"]
    why_offer = {}
    for i in range(3):
        if i == take:
            continue
        row = offers.iloc[i]
        if row["usage_months"] < months:
            why_offer[i] = parts_text["contract_offer_to_take"]["why"]["no_rights"]
        elif row["approval_rounds"] < 1:
            why_offer[i] = parts_text["contract_offer_to_take"]["why"]["no_approval"]
        else:
            why_offer[i] = parts_text["contract_offer_to_take"]["why"]["dearer"]
    prompt = text["prompt"].format(
        currency=currency,
        fee=f"{fee:,.0f}",
        usage=f"{usage_rate:.0%}",
        excl_rate=f"{excl_rate:.0%}",
        months=months,
        excl=excl,
        views=f"{views:,.0f}",
        platform=_pick(rng, market["video_platforms"]),
    )
    parts = (
        value_part(
            "contract_package_price",
            1,
            parts_text["contract_package_price"]["prompt"].format(currency=currency),
            price,
            rtol=0.002,
            wrong=[
                (
                    fee * (1 + usage_rate * months) * (1 + excl_rate * excl),
                    parts_text["contract_package_price"]["wrong"]["compound"],
                ),
                (fee, parts_text["contract_package_price"]["wrong"]["fee_only"]),
                (
                    fee * (1 + usage_rate + excl_rate),
                    parts_text["contract_package_price"]["wrong"]["one_month"],
                ),
            ],
            model=(
                f"contract_package_price = {fee!r} * (1 + {usage_rate!r} * {months} "
                f"+ {excl_rate!r} * {excl})"
            ),
        ),
        value_part(
            "contract_cost_per_thousand_views",
            1,
            parts_text["contract_cost_per_thousand_views"]["prompt"].format(
                currency=currency
            ),
            1000 * price / views,
            rtol=0.005,
            wrong=[
                (
                    price / views,
                    parts_text["contract_cost_per_thousand_views"]["wrong"]["per_view"],
                )
            ],
            model=(
                "contract_cost_per_thousand_views = 1000 * contract_package_price / "
                f"{views!r}"
            ),
        ),
        choice_part(
            "contract_offer_to_take",
            1,
            parts_text["contract_offer_to_take"]["prompt"],
            [f"Offer {o}" for o in offers["offer"]],
            take,
            why_offer,
            rng=rng,
        ),
        match_part(
            "contract_clause_for_need",
            1,
            parts_text["contract_clause_for_need"]["prompt"],
            [n["need"] for n in needs],
            [text["clause_names"][c] for c in clauses],
            matches,
            rng=rng,
        ),
    )
    return Section(
        "m7_contract_terms",
        "7",
        text["title"],
        prompt,
        frame_code("offers", offers),
        parts,
    )


# --- 5. Plan deduplicated reach and the test that shows what the creators caused ------

DESIGNS = ("geo", "lift", "codes", "emv")


def reach_plan(rng: np.random.Generator) -> Section:
    text = TEXT["reach"]
    market = _pick(rng, TEXT["markets"])
    currency = market["currency"]
    count = 4
    target = int(_pick(rng, (6, 8, 12, 15))) * 1_000_000
    boosted = bool(rng.random() < 0.5)
    while True:
        shares = np.round(rng.uniform(0.02, 0.12, count), 3)
        fees = np.round(shares * target * rng.uniform(0.004, 0.02, count), -2)
        per_k = 1000 * fees / (shares * target)
        ranked = np.sort(per_k)
        if np.all(np.diff(ranked) > 0.04 * ranked[:-1]) and list(
            np.argsort(per_k)
        ) != list(np.argsort(fees)):
            break
    cities = rng.uniform(15, 45, count) if boosted else rng.uniform(62, 88, count)
    plan = pd.DataFrame(
        {
            "creator": _handles(rng, count),
            "fee": fees.astype(int),
            "target_reach_pct": np.round(100 * shares, 1),
            "audience_in_top_3_cities_pct": np.round(cities, 0),
        }
    )
    reach = deduplicated_reach(plan["target_reach_pct"] / 100)
    cost_k = 1000 * plan["fee"].sum() / (reach * target)
    design = "lift" if boosted else "geo"
    parts_text = text["parts"]
    prompt = text["prompt"].format(
        market=market["name"],
        target=f"{target / 1e6:,.0f} million",
        currency=currency,
        plan=text["boosted" if boosted else "organic"],
    )
    parts = (
        value_part(
            "dedup_campaign_reach_pct",
            1,
            parts_text["dedup_campaign_reach_pct"]["prompt"],
            100 * reach,
            rtol=0.002,
            wrong=[
                (
                    plan["target_reach_pct"].sum(),
                    parts_text["dedup_campaign_reach_pct"]["wrong"]["summed"],
                )
            ],
            model=(
                "missed = (1 - plan['target_reach_pct'] / 100).prod()\n"
                "dedup_campaign_reach_pct = 100 * (1 - missed)"
            ),
        ),
        value_part(
            "dedup_cost_per_thousand_reached",
            1,
            parts_text["dedup_cost_per_thousand_reached"]["prompt"].format(
                currency=currency
            ),
            cost_k,
            rtol=0.005,
            wrong=[
                (
                    1000
                    * plan["fee"].sum()
                    / (plan["target_reach_pct"].sum() / 100 * target),  # fmt: skip
                    parts_text["dedup_cost_per_thousand_reached"]["wrong"]["summed"],
                )
            ],
            model=(
                f"people = {target} * dedup_campaign_reach_pct / 100\n"
                "dedup_cost_per_thousand_reached = 1000 * plan['fee'].sum() / people"
            ),
        ),
        order_part(
            "dedup_rank_cost_per_reach",
            1,
            parts_text["dedup_rank_cost_per_reach"]["prompt"],
            list(plan["creator"]),
            [int(i) for i in np.argsort(per_k)],
            wrong=[
                (
                    [int(i) for i in np.argsort(plan["fee"].to_numpy())],
                    parts_text["dedup_rank_cost_per_reach"]["wrong"]["by_fee"],
                )
            ],
            rng=rng,
        ),
        choice_part(
            "dedup_lift_design",
            1,
            parts_text["dedup_lift_design"]["prompt"],
            [text["designs"][d] for d in DESIGNS],
            DESIGNS.index(design),
            {
                i: parts_text["dedup_lift_design"]["why"][design][d]
                for i, d in enumerate(DESIGNS)
                if d != design
            },
            rng=rng,
        ),
    )
    return Section(
        "m7_reach_plan",
        "7",
        text["title"],
        prompt,
        frame_code("plan", plan),
        parts,
    )


TEMPLATES = (
    Template("m7_vet_creator", "7", vet_creator),
    Template("m7_cost_per_view", "7", cost_per_view),
    Template("m7_disclosure_audit", "7", disclosure_audit),
    Template("m7_contract_terms", "7", contract_terms),
    Template("m7_reach_plan", "7", reach_plan),
)
