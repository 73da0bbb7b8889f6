"""Coded forms: the form number of each issued paper and graded submission.

- `issued_papers.form`: which of the exam version's numbered forms the paper
  has (NULL for a drawn form), unique within a version, so two builds running
  at once cannot hand out the same form;
- `submissions.form`: the form the handed-in paper declared (checked against its
  paper code), so a report or a marker can rebuild that paper.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issued_papers") as batch:
        batch.add_column(sa.Column("form", sa.Integer, nullable=True))
    op.create_index(
        "issued_papers_form",
        "issued_papers",
        ["exam_id", "exam_version", "form"],
        unique=True,
    )
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("form", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("form")
    op.drop_index("issued_papers_form", table_name="issued_papers")
    with op.batch_alter_table("issued_papers") as batch:
        batch.drop_column("form")
