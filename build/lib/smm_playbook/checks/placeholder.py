"""The `____` placeholder that learners replace with their answer."""

from __future__ import annotations


class _Placeholder:
    """A blank to fill in. Equal only to itself; shows as `____`.

    Assigning it (`answer = ____`) is legal Python, so an untouched exercise
    notebook runs top to bottom and every check says "not attempted".
    """

    _instance: _Placeholder | None = None

    def __new__(cls) -> _Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False


PLACEHOLDER = _Placeholder()
PLACEHOLDER_NAME = "____"
