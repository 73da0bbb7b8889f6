"""Every package the course's code imports is declared in pyproject.toml.

Imports are read from the source (every `import` and `from … import`, including
those inside functions), mapped to the distributions that provide them, and
compared with `[project.dependencies]`; a few modules may rely on an optional
extra, listed in EXTRA_ALLOWED. A missing declaration would make a plain
`pip install smm_playbook` fail at the first use of that import.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "smm_playbook"
# module path prefix (relative to src/smm_playbook) → extras it may use
EXTRA_ALLOWED = {
    "book/": {"book"},  # the Sphinx extension runs only in a book build
    "grading/grader.py": {"scale"},  # Dask, only with --scheduler
    "grading/gradebook.py": {"scale"},  # psycopg, only for a PostgreSQL URL
    "workshop.py": {"lab"},  # Voilà serves the workshop apps
}


def _requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        name = re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0]
        names.add(_normal(name))
    return names


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = {
        extra: _requirement_names(reqs)
        for extra, reqs in project["optional-dependencies"].items()
    }
    return _requirement_names(project["dependencies"]), extras


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"smm_playbook", "__future__"}


def test_every_imported_package_is_declared():
    base, extras = _declared()
    providers = importlib.metadata.packages_distributions()
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        allowed = set(base)
        for prefix, names in EXTRA_ALLOWED.items():
            if relative.startswith(prefix):
                for extra in names:
                    allowed |= extras[extra]
        for module in sorted(_imports(path)):
            distributions = {_normal(d) for d in providers.get(module, [module])}
            if not distributions & allowed:
                missing.append(f"{relative}: import {module} ({sorted(distributions)})")
    assert missing == [], "\n".join(missing)


def test_the_check_would_notice_an_undeclared_import(tmp_path):
    """The comparison itself: a module nobody declared is reported."""
    fake = tmp_path / "fake.py"
    fake.write_text("import definitely_not_declared_pkg\nimport json\n")
    assert _imports(fake) == {"definitely_not_declared_pkg"}
    base, _ = _declared()
    assert "definitely-not-declared-pkg" not in base
