"""Turning whatever a learner assigned into something we can compare, safely.

A learner's value can be anything: None, text, NaN, a ten-million-row frame, or an
object whose `__eq__`, `__repr__` or `__float__` raises. Nothing here lets such a
value escape as a traceback; each problem becomes an `Incorrect` with a message
that says what was wrong and what was expected.
"""

from __future__ import annotations

import math
import numbers
import reprlib

import numpy as np
import pandas as pd

from smm_playbook.checks.errors import Incorrect

_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60


def safe_repr(value: object) -> str:
    """A short repr that never raises and never prints a whole DataFrame."""
    if isinstance(value, pd.DataFrame):
        return (
            f"a DataFrame with {len(value):,} rows and columns "
            f"{list(value.columns)[:6]}"
        )
    if isinstance(value, pd.Series):
        return f"a Series of {len(value):,} values"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, np.generic):  # np.int32(14) reads as 14 to a learner
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    try:
        return _REPR.repr(value)
    except Exception:
        return f"<{type_name(value)} object>"


def type_name(value: object) -> str:
    return type(value).__name__


def to_number(value: object, name: str) -> float:
    """Return `value` as a finite float, or raise `Incorrect` saying why it is not."""
    if value is None:
        raise Incorrect(
            f"`{name}` is `None`. Did a function forget to `return`, or did you assign "
            "the result of `print()`?"
        )
    if isinstance(value, bool | np.bool_):
        raise Incorrect(f"`{name}` should be a number, not `{value}`.")
    if isinstance(value, str):
        raise Incorrect(_text_message(value, name))
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple):
        raise Incorrect(_collection_message(value, name))
    if not isinstance(value, numbers.Number):
        raise Incorrect(
            f"`{name}` should be a number, but it is a `{type_name(value)}` "
            f"({safe_repr(value)})."
        )
    try:
        number = float(value)  # type: ignore[arg-type]  # complex may refuse
    except Exception:
        raise Incorrect(f"`{name}` cannot be read as a real number.") from None
    if math.isnan(number):
        raise Incorrect(
            f"`{name}` is NaN (not a number). That usually comes from 0 ÷ 0 or from a "
            "missing value in the data."
        )
    if math.isinf(number):
        raise Incorrect(f"`{name}` is infinite. Did you divide by zero?")
    return number


def _text_message(value: str, name: str) -> str:
    stripped = value.strip().rstrip("%").replace(",", "")
    try:
        float(stripped)
    except ValueError:
        return f"`{name}` should be a number, but it is text ({safe_repr(value)})."
    return (
        f"`{name}` is text ({safe_repr(value)}), not a number. Remove the quotes "
        "(and any % sign) so Python sees a number."
    )


def _collection_message(value: object, name: str) -> str:
    size = len(value) if hasattr(value, "__len__") else 0
    if size == 1:
        return (
            f"`{name}` is {safe_repr(value)} holding one value; the question wants a "
            "single number. Take it out with `.item()` (or `.iloc[0]` for a Series)."
        )
    return f"`{name}` should be a single number, but it is {safe_repr(value)}."


def close(a: float, b: float, rtol: float, atol: float) -> bool:
    """Relative-or-absolute closeness, as `math.isclose`."""
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def normalise_choice(
    value: object, name: str, letters: tuple[str, ...]
) -> frozenset[str]:
    """Read a choice answer given as 'b', 'B', 'b)', ['a', 'c'] or 'a, c'."""
    if isinstance(value, str):
        parts = value.replace(";", ",").replace(" ", ",").split(",")
    elif isinstance(value, list | tuple | set | frozenset):
        parts = list(value)
    else:
        raise Incorrect(
            f"`{name}` should be a letter in quotes, such as `'b'` "
            f"(it is a `{type_name(value)}`)."
        )
    chosen = set()
    for part in parts:
        if not isinstance(part, str):
            raise Incorrect(f"Each choice in `{name}` should be a letter in quotes.")
        letter = part.strip().strip(").").lower()
        if letter:
            chosen.add(letter)
    unknown = sorted(chosen - set(letters))
    if unknown or not chosen:
        options = ", ".join(f"`'{x}'`" for x in letters)
        raise Incorrect(f"`{name}` should use the option letters {options}.")
    return frozenset(chosen)
