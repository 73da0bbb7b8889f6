"""`smm-playbook progress` starts fast: it reads the shipped catalogue index and
imports no heavy stack (pandas, NumPy, SciPy, plotly, ipywidgets) and no exercise.

Each check runs in a fresh interpreter and reads its `sys.modules`; nothing is
timed (benchmarks/startup.py measures the start-up time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import smm_playbook
import smm_playbook.checks
from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.reviews import ReviewStore

HEAVY = ("pandas", "numpy", "scipy", "plotly", "ipywidgets")
SOURCE = Path(smm_playbook.__file__).resolve().parents[1]

# Runs in the child: the code under test, then what it left in sys.modules.
REPORT = """
import json, sys
{code}
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
exercises = sorted(m for m in sys.modules if m.startswith("smm_playbook.exercises."))
print(json.dumps({{"heavy": heavy, "exercises": exercises}}))
"""


def imported_by(code: str, home: Path) -> dict[str, list[str]]:
    """The heavy packages and exercise modules `code` imports, in a new process."""
    env = {
        **os.environ,
        "SMM_PLAYBOOK_HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(SOURCE), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "160",
    }
    result = subprocess.run(
        [sys.executable, "-c", REPORT.format(code=code, heavy=HEAVY)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def run_cli(*args: str) -> str:
    return (
        f"from smm_playbook.cli import app\napp({list(args)!r}, standalone_mode=False)"
    )


@pytest.fixture
def some_progress(tmp_path) -> Path:
    """A progress file with work in it, and a review, so every path is taken."""
    store = ProgressStore(tmp_path / "progress.json")
    store.record("ex00_orientation", "EngagementRateByReach", "check", status="correct")
    store.record(
        "ex04_crisis", "SeverityTiers", "check", status="partial", right=3, parts=4
    )
    ReviewStore(tmp_path / "reviews.json").add(
        {
            "learner": "ana",
            "exercise": "ex00_orientation",
            "question": "ExplainTheRates",
            "scores": {"accuracy": "meets"},
        }
    )
    return tmp_path


def test_the_probe_sees_a_heavy_import(tmp_path):
    # The check below would pass vacuously if the child could not see imports.
    seen = imported_by("import smm_playbook.exercises.ex00_primer", tmp_path)
    assert "pandas" in seen["heavy"]
    assert seen["exercises"] == ["smm_playbook.exercises.ex00_primer"]


@pytest.mark.parametrize(
    "args",
    [
        ("progress",),
        ("progress", "--exercise", "ex04_crisis"),
        ("progress", "--learner", "ana"),
    ],
)
def test_the_progress_command_imports_no_heavy_stack_and_no_exercise(
    some_progress, args
):
    assert imported_by(run_cli(*args), some_progress) == {
        "heavy": [],
        "exercises": [],
    }


def test_the_progress_file_modules_import_no_heavy_stack(tmp_path):
    code = "import smm_playbook.checks.progress, smm_playbook.checks.reviews"
    assert imported_by(code, tmp_path) == {"heavy": [], "exercises": []}


@pytest.mark.parametrize("name", [*smm_playbook.checks.__all__, "WorkProductQuestion"])
def test_every_public_name_of_checks_can_be_imported_from_the_package(name):
    namespace: dict = {}
    exec(f"from smm_playbook.checks import {name}", namespace)
    home = smm_playbook.checks._HOMES[name]
    module = sys.modules[f"smm_playbook.checks.{home}"]
    assert namespace[name] is getattr(module, name)
    assert name in dir(smm_playbook.checks)


def test_star_import_of_checks_gives_all_its_names():
    namespace: dict = {}
    exec("from smm_playbook.checks import *", namespace)
    assert set(smm_playbook.checks.__all__) <= namespace.keys()


def test_an_unknown_name_of_checks_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Nonsense'"):
        smm_playbook.checks.Nonsense  # noqa: B018
    # a submodule is still imported on demand, as before
    namespace: dict = {}
    exec("from smm_playbook.checks import structure", namespace)
    assert namespace["structure"].__name__ == "smm_playbook.checks.structure"
