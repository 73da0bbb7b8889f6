"""Issued papers, hand-in times and late flags, given answers, trainers' marks.

- `issued_papers`: when each paper was issued, with the time it allows (the
  exam's plus a learner's extra time) and any administrator's override;
- `submissions`: when the file was handed in and how late it was;
- `answers`: the answer as given (JSON) and the part's kind, for item analysis
  and for trainers to read written answers; section keys get longer names;
- `written_marks`: each marker's criterion scores for a written answer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_papers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(64), nullable=False),
        sa.Column("exam_id", sa.String(64), nullable=False),
        sa.Column("exam_version", sa.String(32), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("paper_code", sa.String(40), nullable=False),
        sa.Column("templates", sa.Text, nullable=False),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.Column("minutes_allowed", sa.Integer, nullable=False),
        sa.Column("extra_minutes", sa.Integer, nullable=False),
        sa.Column("override_reason", sa.Text, nullable=False),
        sa.Column("override_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("learner_id", "exam_id", "exam_version", "attempt"),
    )
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(
            sa.Column("handed_in_at", sa.String(32), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("late_minutes", sa.Float, nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.alter_column("section", type_=sa.String(64), existing_nullable=False)
        batch.add_column(
            sa.Column("kind", sa.String(12), nullable=False, server_default="value")
        )
        batch.add_column(sa.Column("given", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "written_marks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False
        ),
        sa.Column("part", sa.String(64), nullable=False),
        sa.Column("marker", sa.String(200), nullable=False),
        sa.Column("scores", sa.Text, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("marked_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("submission_id", "part", "marker"),
    )


def downgrade() -> None:
    op.drop_table("written_marks")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("given")
        batch.drop_column("kind")
        batch.alter_column("section", type_=sa.String(32), existing_nullable=False)
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("late_minutes")
        batch.drop_column("handed_in_at")
    op.drop_table("issued_papers")
