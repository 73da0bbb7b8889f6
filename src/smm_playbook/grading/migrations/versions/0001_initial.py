"""The gradebook as it was before migrations: submissions and their answers.

Exactly the tables `metadata.create_all` made until then, so a gradebook made
by that code is stamped with this revision and loses nothing.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(64), nullable=False),
        sa.Column("exam_id", sa.String(64), nullable=False),
        sa.Column("exam_version", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("run_ended", sa.String(20), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("max_score", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("graded_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("learner_id", "exam_id", "exam_version", "sha256"),
    )
    op.create_table(
        "answers",
        sa.Column(
            "submission_id",
            sa.Integer,
            sa.ForeignKey("submissions.id"),
            nullable=False,
        ),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("module", sa.String(4), nullable=False),
        sa.Column("part", sa.String(64), nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("max_points", sa.Float, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("feedback", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("submission_id", "part"),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_table("submissions")
