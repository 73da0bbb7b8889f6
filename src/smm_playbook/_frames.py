"""The rows of a pandas frame as typed dicts, for code that reads them one by one.

pandas types a row's values as "any scalar", so code that formats or compares
them cannot be checked. A module that builds a table names its columns in a
`TypedDict`; `records(frame, Row)` returns the rows as such dicts (Python
scalars, as `DataFrame.to_dict("records")` gives them) after checking that the
frame has every column the type requires.
"""

from __future__ import annotations

from typing import TypeVar, cast

import pandas as pd

Row = TypeVar("Row")


def records(frame: pd.DataFrame, row_type: type[Row]) -> list[Row]:
    """Each row of `frame` as a `row_type` (a TypedDict naming its columns).

    Raises KeyError naming the columns `row_type` requires that a non-empty
    frame lacks; extra columns are kept. The column types themselves are the
    caller's word: pandas does not keep them per row.
    """
    if frame.empty:
        return []
    required: frozenset[str] = getattr(row_type, "__required_keys__", frozenset())
    missing = sorted(set(required) - {str(c) for c in frame.columns})
    if missing:
        raise KeyError(f"The table has no column {', '.join(missing)}.")
    return cast("list[Row]", frame.to_dict("records"))
