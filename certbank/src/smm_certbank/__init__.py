"""The certification item bank: templates only the grading desk installs.

Each module `m<N>_<topic>.py` holds the templates of course module N (with
their prose in the YAML file of the same name); `written.py` holds the items a
trainer marks. `TEMPLATES` is every template of every module here, in module
order; `smm_playbook.grading.bank` loads it for the certification exam.

Keep this distribution private: a candidate who can import it can build their
own paper and compute its answers. See the facilitator guide, "Keeping the bank
private".
"""

from __future__ import annotations

import importlib
import pkgutil

from smm_playbook.grading.items.framework import Template


def _templates() -> tuple[Template, ...]:
    found: list[Template] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found += getattr(module, "TEMPLATES", ())
    return tuple(found)


TEMPLATES = _templates()
