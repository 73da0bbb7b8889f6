"""The package works when installed like any other: from a wheel, outside the checkout.

The wheel is built from this checkout and installed without dependencies into a
fresh virtualenv in a temporary folder; the dependencies come from the test's
own environment through a path entry (its site-packages, whose `.pth` files,
this checkout's editable install among them, are not read). In that virtualenv,
with the checkout out of reach, every dataset loads, an exam paper is built, a
certificate is rendered, signed and verified, and a new gradebook is migrated
with the migrations the wheel ships.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

INSIDE = textwrap.dedent(
    """
    import dataclasses
    import sys
    from pathlib import Path

    import smm_playbook
    from smm_playbook import data
    from smm_playbook.grading import certificates, secret
    from smm_playbook.grading import bank
    from smm_playbook.grading.exam import CERTIFICATION, PRACTICE, paper_for
    from smm_playbook.grading.paper import notebook

    package = Path(smm_playbook.__file__).resolve()
    assert not package.is_relative_to(Path(sys.argv[1])), package
    rows = {name: len(data.load(name)) for name in data.names()}
    assert all(rows.values()), rows
    keys = secret.load(secret.create(Path("trainer/exam.secret")))
    paper = paper_for(PRACTICE, keys, "ana.li", 1, "Ana Li")
    assert len(notebook(paper).cells) > 10
    # a learner's install has the engine and the practice bank, never the
    # certification bank: no certification item can be built or answered here
    try:
        import smm_certbank  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        raise AssertionError("the certification bank is importable")
    try:
        paper_for(CERTIFICATION, keys, "ana.li")
    except bank.BankMissing as error:
        assert "pip install ./certbank" in str(error)
    else:
        raise AssertionError("a certification paper was built")
    details = certificates.Details(
        learner_id="ana.li", name="Ana Li", exam_id="smm-cert",
        exam_version="2026.1", exam_title="Social Media Manager Certification",
        score="27/30", percent="90.0", date="2026-12-03", expires="2028-12-03",
    )
    out = certificates.issue(details, keys, Path("ana.li.pdf"), "Acme L&D")
    verdict = certificates.verify(out, [keys.public_key])
    assert verdict.genuine, verdict
    # a Chinese name prints with the font the wheel ships, on any machine
    chinese = dataclasses.replace(details, learner_id="zhang.zhe", name="张喆")
    out = certificates.issue(chinese, keys, Path("zhang.zhe.pdf"), "某公司培训部")
    assert certificates.verify(out, [keys.public_key]).details.name == "张喆"
    from smm_playbook.grading.gradebook import SCHEMA_REVISION, Gradebook

    book = Gradebook(Path("trainer/gradebook.db"))  # migrated from the wheel
    assert book.revision == SCHEMA_REVISION and book.submissions() == []
    book.close()
    print(len(rows), "datasets;", package.parent)
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # setuptools builds inside the source folder: a copy
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(work / "dist"),
        ],
        check=True,
        cwd=work,
        capture_output=True,
    )
    [wheel] = (work / "dist").glob("smm_playbook-*.whl")
    venv = work / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "course-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return work, python


def test_the_installed_wheel_loads_data_builds_a_paper_and_certifies(installed):
    work, python = installed
    run = subprocess.run(
        [python, "-I", "-c", INSIDE, str(ROOT)],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "datasets;" in run.stdout and str(ROOT) not in run.stdout


def test_the_wheel_carries_no_certification_item(installed):
    import zipfile

    work, _ = installed
    [wheel] = (work / "dist").glob("smm_playbook-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any("practice_bank/m5_paid.py" in n for n in names)
    assert not any("certbank" in n for n in names)
