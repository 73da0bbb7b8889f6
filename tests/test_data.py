"""Datasets: shipped files equal their seed-0 generators; altered files fail loudly."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import ROOT
from smm_playbook import data


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of datasets/ that a test may damage."""
    target = tmp_path / "datasets"
    shutil.copytree(ROOT / "src" / "smm_playbook" / "datasets", target)
    monkeypatch.setenv("SMM_PLAYBOOK_DATA", str(target))
    return target


@pytest.mark.parametrize("name", data.names())
def test_shipped_csv_equals_seed_zero(name):
    shipped = (ROOT / "src" / "smm_playbook" / "datasets" / f"{name}.csv").read_bytes()
    assert shipped == data.to_csv(data.generate(name, 0))


@pytest.mark.parametrize("name", data.names())
def test_manifest_and_readme_describe_the_shipped_file(name):
    content = (ROOT / "src" / "smm_playbook" / "datasets" / f"{name}.csv").read_bytes()
    entry = data.manifest()[name]
    assert entry["sha256"] == data.sha256(content)
    assert entry["rows"] == len(data.load(name))
    readme = (ROOT / "src" / "smm_playbook" / "datasets" / "README.md").read_text()
    assert entry["sha256"] in readme and f"{entry['rows']:,}" in readme
    for column in data.DATASETS[name].columns:
        assert f"`{column}`" in readme


@pytest.mark.parametrize("name", data.names())
def test_generators_are_seeded(name):
    pd.testing.assert_frame_equal(data.generate(name, 3), data.generate(name, 3))
    assert not data.generate(name, 3).equals(data.generate(name, 4))


def test_starter_posts_are_plausible():
    posts = data.load("starter_posts")
    assert posts["platform"].nunique() == 11
    assert {"WeChat", "Weibo", "Douyin", "Xiaohongshu", "Bilibili"} <= set(
        posts["platform"]
    )
    known = posts.dropna(subset=["reach"])
    assert (known["impressions"] >= known["reach"]).all()
    assert posts["reach"].isna().any() and posts["reach"].notna().mean() > 0.9
    rate = known[["likes", "comments", "shares", "saves"]].sum(axis=1) / known["reach"]
    assert rate.between(0.001, 0.25).all()


def test_an_altered_byte_is_caught_and_the_file_named(data_copy):
    path = data_copy / "starter_posts.csv"
    path.write_bytes(path.read_bytes().replace(b"Weibo", b"Weib0", 1))
    with pytest.raises(data.DatasetError, match=r"starter_posts\.csv has been changed"):
        data.load("starter_posts")


def test_a_missing_file_is_named(data_copy):
    (data_copy / "starter_posts.csv").unlink()
    with pytest.raises(data.DatasetError, match="starter_posts.csv is missing"):
        data.load("starter_posts")


def test_schema_problems_are_named_even_with_a_matching_checksum(data_copy):
    path = data_copy / "starter_posts.csv"
    frame = pd.read_csv(path)
    frame.loc[3, "likes"] = -5
    content = data.to_csv(frame)
    path.write_bytes(content)
    (data_copy / "manifest.json").write_text(
        f'{{"starter_posts": {{"sha256": "{data.sha256(content)}", '
        f'"rows": {len(frame)}}}}}'
    )
    with pytest.raises(
        data.DatasetError, match="column 'likes' must hold non-negative"
    ):
        data.load("starter_posts")


def test_dropped_column_is_named(data_copy):
    path = data_copy / "starter_posts.csv"
    frame = pd.read_csv(path).drop(columns="saves")
    content = data.to_csv(frame)
    path.write_bytes(content)
    (data_copy / "manifest.json").write_text(
        f'{{"starter_posts": {{"sha256": "{data.sha256(content)}", '
        f'"rows": {len(frame)}}}}}'
    )
    with pytest.raises(data.DatasetError, match="expected .*saves"):
        data.load("starter_posts")


def test_unknown_dataset_lists_the_real_ones():
    with pytest.raises(data.DatasetError, match="starter_posts"):
        data.load("posts_typo")
