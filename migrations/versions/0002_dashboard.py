"""Dashboard: stored_themes (the theme editor and theme install) and analytics_counts.

Revision ID: 0002_dashboard
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_dashboard"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "stored_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=2048), server_default="editor", nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_stored_themes_name")),
    )
    op.create_table(
        "analytics_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_counts")),
        sa.UniqueConstraint(
            "bucket", "metric", "key", name="uq_analytics_counts_bucket_metric_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("analytics_counts")
    op.drop_table("stored_themes")
