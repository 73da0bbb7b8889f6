"""Practice grading needs nothing Linux-only: a learner grades their own practice
paper on macOS or Windows too. Simulated here by making the Unix-only modules
(`fcntl`, `resource`) unimportable before anything of the course is imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    for name in ("fcntl", "resource"):
        sys.modules[name] = None  # import fails, as on Windows
    from pathlib import Path
    import tempfile
    import nbformat
    from smm_playbook.grading.exam import PRACTICE, PRACTICE_SECRET, paper_for
    from smm_playbook.grading.grader import grade_file
    from smm_playbook.grading.model_answers import answer_code, solve
    from smm_playbook.grading.paper import notebook
    from smm_playbook.grading.sandbox import Limits

    paper = paper_for(PRACTICE, PRACTICE_SECRET, "me", 1, "me")
    book = solve(notebook(paper), answer_code(paper))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "me.ipynb"
        nbformat.write(book, path)
        record = grade_file(path, PRACTICE, PRACTICE_SECRET, Limits(60), fenced=False)
    print(record.status, record.score, record.max_score)
    """
)


def test_practice_grading_runs_without_unix_only_modules(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-2000:]
    status, score, total = run.stdout.split()
    assert status == "graded" and float(score) == float(total)
