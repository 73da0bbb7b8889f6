"""Input validation shared by the formula and simulator modules.

Errors are written for learners: they name the argument, say what was wrong and
what was expected.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

ArrayLike = Any  # a number, numpy array or pandas Series


def as_numeric(value: ArrayLike, name: str) -> ArrayLike:
    """Return `value` unchanged if it is numeric, else raise a TypeError naming it."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, not True/False.")
    if isinstance(value, numbers.Number):
        return value
    if isinstance(value, (pd.Series, pd.Index)):
        if not pd.api.types.is_numeric_dtype(value) or pd.api.types.is_bool_dtype(
            value
        ):
            raise TypeError(
                f"{name} must hold numbers, but its dtype is {value.dtype}."
            )
        return value
    if isinstance(value, (np.ndarray, list, tuple)):
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or arr.dtype == bool:
            raise TypeError(f"{name} must hold numbers, but got dtype {arr.dtype}.")
        return arr
    raise TypeError(
        f"{name} must be a number, numpy array or pandas Series, "
        f"not {type(value).__name__}."
    )


def non_negative(value: ArrayLike, name: str) -> ArrayLike:
    """Validate that a count or amount is numeric and never below zero."""
    value = as_numeric(value, name)
    arr = np.asarray(value, dtype=float)
    if np.any(arr < 0):
        raise ValueError(
            f"{name} cannot be negative (got {_describe_bad(arr, arr < 0)})."
        )
    return value


def positive(value: ArrayLike, name: str) -> ArrayLike:
    """Validate a denominator: numeric, not negative, and not zero."""
    value = non_negative(value, name)
    arr = np.asarray(value, dtype=float)
    zero = arr == 0
    if np.any(zero):
        where = "" if arr.ndim == 0 else f" in {int(zero.sum())} of {arr.size} rows"
        raise ValueError(
            f"{name} is 0{where}, so the ratio is undefined there. "
            "Filter out those rows (or check the export) before dividing."
        )
    return value


def fraction(value: ArrayLike, name: str) -> ArrayLike:
    """Validate a share that must lie between 0 and 1."""
    value = non_negative(value, name)
    if np.any(np.asarray(value, dtype=float) > 1):
        raise ValueError(f"{name} is a fraction between 0 and 1 (write 40% as 0.4).")
    return value


def _describe_bad(arr: np.ndarray, mask: np.ndarray) -> str:
    if arr.ndim == 0:
        return repr(float(arr))
    return f"{int(mask.sum())} negative value(s), e.g. {float(arr[mask].flat[0])!r}"


def exact_keys(answers: Any, keys: tuple[str, ...], what: str) -> None:
    """A mapping with exactly `keys`; the error names what is missing or unknown."""
    if not hasattr(answers, "keys") or not hasattr(answers, "__getitem__"):
        raise TypeError(f"{what} must be a dict keyed by {list(keys)}.")
    missing = [k for k in keys if k not in answers]
    unknown = [k for k in answers if k not in keys]
    if missing or unknown:
        raise ValueError(
            f"{what} must cover exactly {list(keys)}; missing {missing}, "
            f"unknown {unknown}."
        )
