"""Item banks: where an exam's templates come from.

- `practice`: published with the course (`grading.practice_bank`);
- `certification`: the `smm_certbank` distribution (the repository's
  `certbank/` folder), which only the grading desk installs. A learner's install
  of the course does not have it, so nothing on a candidate's machine can build
  a certification item or compute its answer.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from functools import cache

from smm_playbook.grading.items.framework import Template

MODULES = {
    "practice": "smm_playbook.grading.practice_bank",
    "certification": "smm_certbank",
}


class BankMissing(RuntimeError):
    """The bank an exam needs is not installed here; the message says how to get it."""


@dataclass(frozen=True)
class Bank:
    name: str
    templates: tuple[Template, ...]

    def module(self, module: str, *, written: bool = False) -> tuple[Template, ...]:
        """The templates of one course module (scored or written ones)."""
        return tuple(
            t for t in self.templates if t.module == module and t.written == written
        )

    @property
    def written(self) -> tuple[Template, ...]:
        return tuple(t for t in self.templates if t.written)

    def sizes(self) -> Counter:
        """How many scored templates each module has."""
        return Counter(t.module for t in self.templates if not t.written)

    def template(self, key: str) -> Template:
        for template in self.templates:
            if template.key == key:
                return template
        raise KeyError(f"No template {key!r} in the {self.name} bank.")


@cache
def load(name: str) -> Bank:
    """The bank called `name`; `BankMissing` if it is not installed here."""
    if name not in MODULES:
        raise BankMissing(f"No item bank called {name!r}; known: {', '.join(MODULES)}.")
    try:
        package = importlib.import_module(MODULES[name])
    except ModuleNotFoundError as error:
        if error.name != MODULES[name]:
            raise
        raise BankMissing(
            "The certification item bank is not installed on this machine, so "
            "certification papers cannot be built or graded here. It is kept "
            "apart from the course on purpose; the grading desk installs it with "
            "`pip install ./certbank` (see the facilitator guide, 'Keeping the "
            "bank private')."
        ) from None
    templates = tuple(package.TEMPLATES)
    keys = [t.key for t in templates]
    if len(keys) != len(set(keys)):
        raise ValueError(f"The {name} bank has two templates with the same key.")
    return Bank(name, templates)
