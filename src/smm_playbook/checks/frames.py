"""DataFrame questions: compare a learner's table with the expected one.

Tolerant where it does not matter (row order, index, integer vs float dtypes, extra
columns) and specific where it does (missing columns, missing or duplicated rows, a
wrong value in a named row and column).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.questions import Misconception, Question, resolve
from smm_playbook.checks.values import safe_repr, type_name

MAX_ROWS_FACTOR = 50  # a frame this many times larger than expected is surely wrong


class FrameQuestion(Question):
    """`expected` (a DataFrame or a method returning one) keyed by `key` columns."""

    expected: ClassVar[Any] = None
    key: ClassVar[tuple[str, ...]] = ()
    rtol: ClassVar[float] = 1e-3
    misconceptions: ClassVar[tuple[Misconception, ...]] = ()

    def grade(self, values: dict[str, Any]) -> str | None:
        name = self.names()[0]
        expected = resolve(self.expected)
        frame = _as_frame(values[name], name, self.key)
        if len(frame) > MAX_ROWS_FACTOR * max(len(expected), 1):
            raise Incorrect(f"`{name}` has {len(frame):,} rows, far more than needed.")
        try:
            _check_shape(frame, expected, name, self.key)
            problem = _first_difference(frame, expected, self.key, self.rtol)
            if problem is None:
                return None
            generic = Incorrect(f"In `{name}`, {problem}")
        except Incorrect as shape_problem:
            generic = shape_problem
        # A known misconception explains a wrong table better than its first symptom.
        for item in self.misconceptions:
            if _agrees(frame, item.resolve(), self.key, self.rtol):
                raise Incorrect(item.message)
        raise generic


def _agrees(
    frame: pd.DataFrame, other: pd.DataFrame, key: tuple[str, ...], rtol: float
) -> bool:
    try:
        return _first_difference(frame, other, key, rtol) is None
    except Exception:  # duplicated keys or odd dtypes: certainly not the same table
        return False


def _as_frame(value: Any, name: str, key: tuple[str, ...]) -> pd.DataFrame:
    if isinstance(value, pd.Series):
        hint = " Call `.reset_index()` on it." if value.index.name in key else ""
        raise Incorrect(
            f"`{name}` is a Series; the question asks for a DataFrame.{hint}"
        )
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(
            f"`{name}` should be a DataFrame, but it is a `{type_name(value)}`."
        )
    in_index = [
        k for k in key if k not in value.columns and k in (value.index.names or [])
    ]
    if in_index:
        raise Incorrect(
            f"`{name}` keeps {in_index[0]!r} in its index, not in a column. "
            "Call `.reset_index()` on it."
        )
    return value


def _check_shape(
    frame: pd.DataFrame, expected: pd.DataFrame, name: str, key: tuple[str, ...]
) -> None:
    missing = [c for c in expected.columns if c not in frame.columns]
    if missing:
        raise Incorrect(
            f"`{name}` is missing the column(s) {missing}. "
            f"It has {list(frame.columns)[:8]}."
        )
    if frame.duplicated(list(key)).any():
        row = frame.loc[frame.duplicated(list(key)), list(key)].iloc[0].tolist()
        raise Incorrect(f"`{name}` has more than one row for {_label(row)}.")
    mine, theirs = _keys(frame, key), _keys(expected, key)
    if mine != theirs:
        absent, extra = sorted(theirs - mine)[:3], sorted(mine - theirs)[:3]
        parts = (
            [f"rows for {[_label(k) for k in absent]} are missing"] if absent else []
        )
        parts += (
            [f"rows for {[_label(k) for k in extra]} should not be there"]
            if extra
            else []
        )
        raise Incorrect(f"In `{name}`, " + " and ".join(parts) + ".")


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> set[tuple]:
    return set(frame[list(key)].astype(str).itertuples(index=False, name=None))


def _label(values: Any) -> str:
    values = values if isinstance(values, list | tuple) else [values]
    return " / ".join(str(v) for v in values)


def _first_difference(
    frame: pd.DataFrame, expected: pd.DataFrame, key: tuple[str, ...], rtol: float
) -> str | None:
    """Describe the first cell that differs, or None when the frames agree."""
    if not isinstance(expected, pd.DataFrame) or not set(expected.columns) <= set(
        frame.columns
    ):
        return "the table does not have the expected shape."
    if _keys(frame, key) != _keys(expected, key):
        return "the rows do not match."
    left = _by_key(frame[list(expected.columns)], key)
    right = _by_key(expected, key)
    for column in (c for c in expected.columns if c not in key):
        wrong = _column_mismatch(left[column], right[column], rtol)
        if wrong is not None:
            got = left.loc[wrong, column]
            return (
                f"the `{column}` for {_label(wrong)} is {safe_repr(got)}, "
                "which is not right."
            )
    return None


def _by_key(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    keyed = frame.assign(**{k: frame[k].astype(str) for k in key})
    return keyed.set_index(list(key)).sort_index()


def _column_mismatch(mine: pd.Series, theirs: pd.Series, rtol: float) -> Any:
    """Return the index label of the first differing cell, or None."""
    if pd.api.types.is_numeric_dtype(theirs) and not pd.api.types.is_bool_dtype(theirs):
        numbers = pd.to_numeric(mine, errors="coerce").astype(float).to_numpy()
        target = theirs.astype(float).to_numpy()
        same = np.isclose(numbers, target, rtol=rtol, atol=1e-9, equal_nan=True)
    else:
        same = mine.astype(str).to_numpy() == theirs.astype(str).to_numpy()
    bad = np.flatnonzero(~same)
    return None if bad.size == 0 else mine.index[bad[0]]
