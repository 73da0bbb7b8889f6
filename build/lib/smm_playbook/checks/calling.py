"""Calling a learner's function without letting it hang or crash the check."""

from __future__ import annotations

import copy
import signal
import threading
from collections.abc import Callable
from typing import Any

from smm_playbook.checks.errors import Incorrect, NotAttempted
from smm_playbook.checks.placeholder import PLACEHOLDER_NAME
from smm_playbook.checks.values import safe_repr, type_name

TIME_LIMIT_SECONDS = 2.0


def check_callable(value: Any, name: str) -> Callable:
    """The learner's value must be a function whose body is no longer `____`."""
    if not callable(value):
        raise Incorrect(
            f"`{name}` should be a function (`def {name}(...):`), "
            f"but it is a `{type_name(value)}`."
        )
    code = getattr(value, "__code__", None)
    if code is not None and PLACEHOLDER_NAME in code.co_names:
        raise NotAttempted(f"Replace `____` in the body of `{name}` with your code.")
    return value


def call_learner_function(function: Callable, name: str, args: tuple) -> Any:
    """Call with copied arguments; turn errors and endless loops into messages."""
    shown = ", ".join(safe_repr(a) for a in args)
    try:
        with _time_limit(TIME_LIMIT_SECONDS):
            result = function(*copy.deepcopy(args))
    except _TimeUp:
        raise Incorrect(
            f"`{name}({shown})` ran for more than {TIME_LIMIT_SECONDS:g} s. "
            "Is there a loop that never ends?"
        ) from None
    except Exception as error:
        raise Incorrect(
            f"`{name}({shown})` raised "
            f"`{type(error).__name__}: {safe_repr(str(error))}`."
        ) from None
    if result is None:
        raise Incorrect(
            f"`{name}({shown})` returned `None`. Did you forget the `return` statement?"
        )
    return result


def call_on_each(
    function: Callable, name: str, inputs: list[tuple], seconds: float = 10.0
) -> list:
    """Call on every input under one time limit; a failure names its input."""
    results = []
    try:
        with _time_limit(seconds):
            for args in inputs:
                results.append(function(*copy.deepcopy(args)))
    except _TimeUp:
        raise Incorrect(
            f"`{name}` took more than {seconds:g} s for {len(inputs):,} calls "
            f"(it finished {len(results):,}). Is there a loop that never ends?"
        ) from None
    except Exception as error:
        shown = ", ".join(safe_repr(a) for a in inputs[len(results)])
        raise Incorrect(
            f"`{name}({shown})` raised `{type(error).__name__}: "
            f"{safe_repr(str(error))}`."
        ) from None
    return results


class _TimeUp(Exception):
    pass


class _time_limit:
    """SIGALRM-based limit; only possible on the main thread of a Unix process."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = hasattr(signal, "setitimer") and (
            threading.current_thread() is threading.main_thread()
        )

    def __enter__(self) -> None:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._raise)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _raise(signum: int, frame: object) -> None:
        raise _TimeUp
