"""The gradebook's schema history: Alembic migrations that ship inside the package.

`Gradebook(...)` brings its database to the newest revision when it opens it
(`smm_playbook.grading.gradebook.upgrade`), with an Alembic `Config` built here in
code, so neither trainers nor an installed wheel need an `alembic.ini`.

A change to the gradebook's tables is a new revision, written by a maintainer:

1. change the tables in `gradebook.py`;
2. create the revision file from the checkout::

       python -c "from alembic import command; \\
       from smm_playbook.grading.migrations import config; \\
       command.revision(config('sqlite:///scratch.db'), 'what changes', rev_id='0002')"

3. write its `upgrade()` by hand in `versions/` (`op.add_column`, …; SQLite
   needs `op.batch_alter_table` to change a column) and its `downgrade()`,
   then `ruff format` it;
4. set `SCHEMA_REVISION` in `gradebook.py` to the new id (a test checks that it
   names the newest revision and that the migrated tables match `gradebook.py`).

A revision, once released, is never edited: databases out there already ran it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic.config import Config

if TYPE_CHECKING:
    import sqlalchemy as sa

HERE = Path(__file__).resolve().parent

# The first revision, and the tables it creates: the schema that gradebooks
# made before migrations existed already have (they are stamped with it).
FIRST = "0001"
FIRST_TABLES = {
    "submissions": {
        "id",
        "learner_id",
        "exam_id",
        "exam_version",
        "sha256",
        "name",
        "attempt",
        "file",
        "status",
        "run_ended",
        "message",
        "score",
        "max_score",
        "passed",
        "seconds",
        "graded_at",
    },
    "answers": {
        "submission_id",
        "section",
        "module",
        "part",
        "points",
        "max_points",
        "outcome",
        "feedback",
    },
}


def config(url: str, connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration for the gradebook at `url`, built in code.

    With `connection`, the migrations run on it, inside the transaction the
    caller holds (`env.py` neither commits nor opens a connection of its own).
    """
    settings = Config()
    settings.set_main_option("script_location", str(HERE))
    settings.set_main_option("path_separator", "os")
    settings.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        settings.attributes["connection"] = connection
    return settings
