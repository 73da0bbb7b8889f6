"""Reading the structure of a Markdown work product: sections, tables, numbers,
dates, durations and owners. Pure text functions; no judgement of quality.

These are the parts of a plan a machine can check honestly. Whether the plan is
any good is for a person to judge against the rubric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER_LINE = "____"

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A calendar date: 2027-03-08, 8 March, March 8, 3月8日.
CALENDAR_DATE = re.compile(
    rf"\b(?P<iso>20\d\d-\d{{1,2}}-\d{{1,2}})\b"
    rf"|\b(?P<dm>\d{{1,2}})\s+(?P<dm_month>{_MONTH})(?![a-z])"
    rf"|\b(?P<md_month>{_MONTH})\s+(?P<md>\d{{1,2}})\b"
    r"|(?P<cn_month>\d{1,2})\s*月\s*(?P<cn_day>\d{1,2})\s*日",
    re.IGNORECASE,
)
# A point in a plan's own timeline also counts as a date: day 30, week 2, 第3周.
RELATIVE_DATE = re.compile(
    r"\b(?:day|week|wk|month)\s*\d+|第\s*\d+\s*[天周月]|\bby\s+(?:mon|tue|wed|thu|"
    r"fri|sat|sun)[a-z]*\b|\b(?:Q[1-4])\s*20\d\d\b|\bD\+?\d+\b|\bT\+\d+",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−–])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"\s*(?P<mult>k\b|m\b|bn\b|million\b|万|亿|%)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "万": 1e4, "亿": 1e8}
_DURATION = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>minutes?|mins?|hours?|hrs?|h\b|days?|"
    r"分钟|小时|天)",
    re.IGNORECASE,
)
_MINUTES = {"min": 1, "hou": 60, "hrs": 60, "hr": 60, "h": 60, "day": 1440}
_MINUTES_CN = {"分钟": 1, "小时": 60, "天": 1440}
_OWNER_LINE = re.compile(
    r"(?:\bowners?\b|\bowned by\b|\baccountable\b|负责人|责任人|负责)"
    r"(?:\s+(?:of|for)\s+[^:：\n]{1,40})?\s*[:：]\s*"
    r"(?P<who>[^\n|;；]+)",
    re.IGNORECASE,
)
_OWNER_COLUMN = re.compile(r"owner|who|accountable|负责人|责任人|负责", re.IGNORECASE)
# An owner must be a role someone holds, not a crowd or a blank.
WEAK_OWNER = re.compile(
    r"^\s*\**\s*(?:the\s+)?(?:team|whole team|everyone|everybody|all|all of us|we|us|"
    r"someone|anyone|tbc|tbd|n/?a|-+|—|marketing|团队|大家|所有人|全员|待定|我们)"
    r"\s*\**\s*[.。]?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Section:
    """A heading and the text under it (down to the next heading of its level)."""

    heading: str
    level: int
    body: str

    @property
    def is_empty(self) -> bool:
        return not meaningful(self.body)


def meaningful(text: str) -> bool:
    """True when text holds something besides blanks, `____` and HTML comments."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    for line in text.splitlines():
        core = line.strip().strip("-*>|: ").strip()
        if core and core != PLACEHOLDER_LINE:
            return True
    return False


def sections(text: str) -> list[Section]:
    """Every ATX heading (# … ######) with the text beneath it."""
    lines = text.splitlines()
    found = [
        (i, len(m[1]), m[2].strip())
        for i, line in enumerate(lines)
        if (m := _HEADING.match(line))
    ]
    result = []
    for index, (start, level, heading) in enumerate(found):
        end = next((i for i, lvl, _ in found[index + 1 :] if lvl <= level), len(lines))
        result.append(Section(heading, level, "\n".join(lines[start + 1 : end])))
    return result


def table_rows(text: str) -> list[dict[str, str]]:
    """The rows of every Markdown table in `text`, as {header: cell}."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if header is None:
            header = cells
        elif all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        else:
            rows.append(dict(zip(header, cells, strict=False)))
    return rows


def numbers(text: str) -> list[tuple[float, float]]:
    """Every number in `text` as (value, half the step of its last digit).

    Dates are removed first so that 2027-03-08 is not read as three numbers.
    "1.2 m" is (1_200_000, 50_000); "45%" is (45, 0.5).
    """
    text = CALENDAR_DATE.sub(" ", text)
    found = []
    for match in _NUMBER.finditer(text):
        frac = match["frac"] or ""
        value = float(match["digits"].replace(",", "") + frac)
        step = 10.0 ** -(len(frac) - 1) if frac else 1.0
        mult = _MULTIPLIERS.get((match["mult"] or "").lower(), 1.0)
        sign = -1.0 if match["sign"] else 1.0
        found.append((sign * value * mult, step * mult / 2))
    return found


def durations_in_minutes(text: str) -> list[float]:
    """Every duration in `text` (minutes, hours, days; 分钟, 小时, 天), in minutes."""
    result = []
    for match in _DURATION.finditer(text):
        unit = match["unit"].lower()
        per = _MINUTES_CN.get(unit) or _MINUTES.get(unit[:3]) or _MINUTES[unit[:1]]
        result.append(float(match["n"]) * per)
    return result


def calendar_dates(text: str) -> list[tuple[int, int]]:
    """Every calendar date in `text` as (month, day)."""
    result = []
    for m in CALENDAR_DATE.finditer(text):
        if m["iso"]:
            _, month, day = (int(x) for x in m["iso"].split("-"))
        elif m["dm"]:
            month, day = _month(m["dm_month"]), int(m["dm"])
        elif m["md"]:
            month, day = _month(m["md_month"]), int(m["md"])
        else:
            month, day = int(m["cn_month"]), int(m["cn_day"])
        result.append((month, day))
    return result


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def count_dates(text: str) -> int:
    """Calendar dates plus points in the plan's own timeline (day 30, week 2)."""
    return len(CALENDAR_DATE.findall(text)) + len(RELATIVE_DATE.findall(text))


def owners(text: str) -> list[str]:
    """Owners named in `text`: "Owner: …" lines and the owner column of tables."""
    named = [m["who"].strip() for m in _OWNER_LINE.finditer(text)]
    for row in table_rows(text):
        named += [cell for head, cell in row.items() if _OWNER_COLUMN.search(head)]
    return named


def is_weak_owner(owner: str) -> bool:
    """An owner that is no one in particular: "the team", "everyone", "TBC", blank."""
    return not owner.strip().strip("*") or bool(WEAK_OWNER.match(owner))


def lines_matching(text: str, pattern: str) -> list[str]:
    """The lines (table rows included) of `text` that match `pattern`."""
    return [
        line
        for line in text.splitlines()
        if re.search(pattern, line, flags=re.IGNORECASE)
    ]
