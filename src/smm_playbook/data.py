"""The course's datasets: `load(name)` validates, `generate(name, seed)` creates.

Every shipped CSV in the package's `datasets/` folder equals `generate(name, 0)`
written with `to_csv` below (a test proves it), and its `manifest.json` records
its sha256 and row count. `load` refuses a file whose bytes or columns are not
what the course expects, naming the file and the problem, because a silently
altered dataset would make every learner's "correct" answer wrong.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.resources
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# pandas, NumPy and the generators (SciPy, the simulators) are imported when a
# dataset is loaded or generated, not when this module is: `import smm_playbook.data`
# stays fast, and reading a CSV never imports a generator.


class DatasetError(ValueError):
    """A dataset file is missing, altered or malformed."""


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset's columns (name → kind) and the generator that produces it.

    `builder` names the generator as "module:function" inside
    `smm_playbook.datagen`; it is imported only by `generate`.
    """

    name: str
    columns: dict[str, str]
    builder: str
    summary: str

    def build(self, seed: int) -> pd.DataFrame:
        import numpy as np

        module, function = self.builder.split(":")
        generator = importlib.import_module(f"smm_playbook.datagen.{module}")
        return getattr(generator, function)(np.random.default_rng(seed))


COUNT = "count"  # non-negative integer; missing allowed only where stated
SHARE = "share"  # a fraction between 0 and 1
# "count?" and "timestamp?" may be blank
NUMBER = "number"  # a non-negative measurement that need not be whole (frequency)
_KINDS = {"text", "timestamp", "timestamp?", COUNT, "count?", SHARE, NUMBER}

MENTION_COLUMNS = {
    "timestamp": "timestamp",
    "mentions": COUNT,
    "negative_share": SHARE,
    "reach": COUNT,
    "top_author_followers": COUNT,
}

DATASETS: dict[str, DatasetSpec] = {
    "starter_posts": DatasetSpec(
        name="starter_posts",
        columns={
            "post_id": "text",
            "platform": "text",
            "published_at": "timestamp",
            "format": "text",
            "followers": COUNT,
            "impressions": COUNT,
            "reach": "count?",
            "likes": COUNT,
            "comments": COUNT,
            "shares": COUNT,
            "saves": COUNT,
            "clicks": "count?",
        },
        builder="starter_posts:generate",
        summary="One month of a tea brand's organic posts on eleven platforms.",
    ),
    "platform_audiences": DatasetSpec(
        name="platform_audiences",
        columns={
            "platform": "text",
            "region": "text",
            "age_band": "text",
            "interest": "text",
            "population": COUNT,
            "users": COUNT,
            "share": SHARE,
        },
        builder="platform_audiences:generate",
        summary="Each platform's users per audience segment (region × age × interest).",
    ),
    "posts": DatasetSpec(
        name="posts",
        columns={
            "post_id": "text",
            "platform": "text",
            "published_at": "timestamp",
            "format": "text",
            "pillar": "text",
            "followers": COUNT,
            "impressions": COUNT,
            "reach": "count?",
            "likes": COUNT,
            "comments": COUNT,
            "shares": COUNT,
            "saves": COUNT,
            "clicks": COUNT,
            "video_views": "count?",
        },
        builder="posts:generate",
        summary="A year of organic posts on ten platforms, with a real export's flaws.",
    ),
    "comments": DatasetSpec(
        name="comments",
        columns={
            "comment_id": "text",
            "platform": "text",
            "channel": "text",
            "language": "text",
            "created_at": "timestamp",
            "author_followers": COUNT,
            "likes": COUNT,
            "text": "text",
            "kind": "text",
            "action": "text",
            "tier": COUNT,
            "first_response_at": "timestamp?",
        },
        builder="comments:generate",
        summary="Two weeks of comments and DMs to the brand, labelled for moderation.",
    ),
    "ad_campaigns": DatasetSpec(
        name="ad_campaigns",
        columns={
            "date": "timestamp",
            "platform": "text",
            "campaign": "text",
            "ad_set": "text",
            "objective": "text",
            "currency": "text",
            "spend": NUMBER,
            "impressions": COUNT,
            "reach": COUNT,
            "frequency": NUMBER,
            "clicks": COUNT,
            "conversions": COUNT,
            "revenue": NUMBER,
        },
        builder="ad_campaigns:generate",
        summary="A quarter of paid-social delivery per ad set and day.",
    ),
    "live_session": DatasetSpec(
        name="live_session",
        columns={
            "interval_start": "timestamp",
            "views": COUNT,
            "entries": COUNT,
            "product_clicks": COUNT,
            "orders": COUNT,
            "gmv": NUMBER,
            "refunded_orders": COUNT,
            "refunded_gmv": NUMBER,
            "ad_spend": NUMBER,
        },
        builder="live_session:generate",
        summary="A Douyin live-selling session per 5 minutes, with Qianchuan spend.",
    ),
    "journeys": DatasetSpec(
        name="journeys",
        columns={
            "journey_id": "text",
            "timestamp": "timestamp",
            "channel": "text",
            "converted": COUNT,
            "revenue": NUMBER,
        },
        builder="roi:journeys",
        summary="Customer journeys, one row per touch, with known true effects.",
    ),
    "lift_test": DatasetSpec(
        name="lift_test",
        columns={
            "date": "timestamp",
            "group": "text",
            "users": COUNT,
            "conversions": COUNT,
            "revenue": NUMBER,
            "spend": NUMBER,
        },
        builder="roi:lift_test",
        summary="A 28-day conversion-lift test: test and holdout groups per day.",
    ),
    "creators": DatasetSpec(
        name="creators",
        columns={
            "creator_id": "text",
            "platform": "text",
            "market": "text",
            "niche": "text",
            "followers": COUNT,
            "tier": "text",
            "avg_reach": "count?",
            "avg_views": "count?",
            "avg_engagements": COUNT,
            "audience_in_market": SHARE,
            "audience_female": SHARE,
            "audience_18_34": SHARE,
            "generic_comment_share": SHARE,
            "brand_safety_flags": COUNT,
            "currency": "text",
            "price": NUMBER,
        },
        builder="creators:creators",
        summary="300 creators on seven platforms, as marketplaces show them.",
    ),
    "creator_followers": DatasetSpec(
        name="creator_followers",
        columns={"creator_id": "text", "date": "timestamp", "followers": COUNT},
        builder="creators:creator_followers",
        summary="90 days of daily follower counts for 45 of the creators.",
    ),
    "listening_mentions": DatasetSpec(
        name="listening_mentions",
        columns={
            "mention_id": "text",
            "platform": "text",
            "language": "text",
            "posted_at": "timestamp",
            "author_followers": "count?",
            "text": "text",
            "brand": "text",
            "relevant": COUNT,
            "spam": COUNT,
            "sentiment": "text",
            "sarcasm": COUNT,
            "topic": "text",
        },
        builder="listening:generate",
        summary="Four weeks of EN + 中文 posts a listening query pulled in, labelled.",
    ),
    **{
        f"mentions_{incident}": DatasetSpec(
            name=f"mentions_{incident}",
            columns=MENTION_COLUMNS,
            builder=builder,
            summary=summary,
        )
        for incident, builder, summary in (
            (
                "glass_rumour",
                "mentions:glass_rumour",
                "Brand mentions every 5 minutes for 3 days: a rumour becomes a crisis.",
            ),
            (
                "flavour_grumble",
                "mentions:flavour_grumble",
                "Brand mentions every 5 minutes for 3 days: a grumble that fades.",
            ),
        )
    },
}


def data_dir() -> Path:
    """The datasets shipped inside the package (or $SMM_PLAYBOOK_DATA).

    Read with importlib.resources, so an installed wheel finds them as well as a
    checkout does (wheels install unzipped, so the folder is a real folder).
    """
    override = os.environ.get("SMM_PLAYBOOK_DATA")
    if override:
        return Path(override)
    return Path(str(importlib.resources.files("smm_playbook") / "datasets"))


def names() -> list[str]:
    return sorted(DATASETS)


def generate(name: str, seed: int = 0) -> pd.DataFrame:
    """Run the seeded generator; seed 0 gives the shipped file."""
    return _spec(name).build(seed)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The one serialisation used for shipped files (stable across runs)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue().encode("utf-8")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def manifest() -> dict[str, dict]:
    path = data_dir() / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DatasetError(f"{path} is missing or unreadable ({error}).") from None


def load(name: str) -> pd.DataFrame:
    """Read the shipped `<name>.csv` after checking its checksum and columns."""
    spec = _spec(name)
    path = data_dir() / f"{name}.csv"
    if not path.exists():
        raise DatasetError(
            f"{path} is missing. Restore it with `git checkout -- {path}`."
        )
    import pandas as pd

    content = path.read_bytes()
    expected = manifest().get(name, {}).get("sha256")
    if sha256(content) != expected:
        raise DatasetError(
            f"{path} has been changed or corrupted: "
            f"its sha256 is {sha256(content)[:12]}…, "
            f"the course expects {str(expected)[:12]}…. Restore it with "
            f"`smm-playbook data regenerate {name}` or `git checkout -- {path}`."
        )
    frame = pd.read_csv(
        io.BytesIO(content),
        dtype={c: str for c, k in spec.columns.items() if k == "text"},
    )
    return _validated(frame, spec, path)


def _validated(frame: pd.DataFrame, spec: DatasetSpec, path: Path) -> pd.DataFrame:
    if list(frame.columns) != list(spec.columns):
        raise DatasetError(
            f"{path} has columns {list(frame.columns)}; expected {list(spec.columns)}."
        )
    for column, kind in spec.columns.items():
        _check_column(frame[column], kind, f"{path}, column {column!r}")
    return frame


def _check_column(values: pd.Series, kind: str, where: str) -> None:
    import pandas as pd

    if kind not in _KINDS:
        raise DatasetError(f"{where}: unknown column kind {kind!r} in the schema.")
    if not kind.endswith("?") and values.isna().any():
        raise DatasetError(f"{where} has {int(values.isna().sum())} blank value(s).")
    if kind.startswith("timestamp"):
        parsed = pd.to_datetime(values, errors="coerce", utc=True)
        if (parsed.isna() & values.notna()).any():
            raise DatasetError(f"{where} has values that are not timestamps.")
    if kind.startswith(COUNT) or kind in (SHARE, NUMBER):
        numbers = pd.to_numeric(values, errors="coerce")
        if (numbers.isna() & values.notna()).any() or (numbers < 0).any():
            raise DatasetError(f"{where} must hold non-negative numbers.")
        if kind == SHARE and (numbers > 1).any():
            raise DatasetError(f"{where} must hold shares between 0 and 1.")


def write(name: str) -> Path:
    """Regenerate one shipped file from seed 0 and update the manifest."""
    content = to_csv(generate(name, 0))
    path = data_dir() / f"{name}.csv"
    path.write_bytes(content)
    entries = manifest() if (data_dir() / "manifest.json").exists() else {}
    rows = content.count(b"\n") - 1
    entries[name] = {"sha256": sha256(content), "rows": rows}
    (data_dir() / "manifest.json").write_text(json.dumps(entries, indent=2) + "\n")
    return path


def _spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise DatasetError(
            f"There is no dataset called {name!r}. Available: {names()}."
        )
    return DATASETS[name]
