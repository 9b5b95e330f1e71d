"""The database tables, as SQLAlchemy 2 declarative models.

Every table is created by the Alembic migrations in ``migrations/versions``; never call
``create_all`` outside tests of the migrations themselves. Timestamps are stored as
timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

#: deterministic constraint names, so migrations can refer to them on every backend
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: report kinds the quality family stores
REPORT_KINDS = ("coverage", "quality", "security", "tests")


def utcnow() -> dt.datetime:
    """Timezone-aware now, the default of every ``created_at``."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend keeps.

    SQLite has no time zones: values are written as UTC and read back with ``tzinfo=UTC``.
    Naive datetimes given to it are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention above."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ApiKey(Base):
    """An API key: only its sha256 is stored; ``prefix`` finds it; ``scopes`` grant rights."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    #: space-separated scopes, e.g. "upload:pallets/flask admin"
    scopes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_list(self) -> list[str]:
        """The scopes as a list."""
        return self.scopes.split()

    @property
    def active(self) -> bool:
        """True unless the key was revoked."""
        return self.revoked_at is None


class Button(Base):
    """A nice button: a public id (alphanumeric, no dash) and its counter."""

    __tablename__ = "buttons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Project(Base):
    """A repository that quality reports are uploaded for."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("org", "repo", name="uq_projects_org_repo"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(200))
    repo: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reports: Mapped[list[Report]] = relationship(back_populates="project")


class Report(Base):
    """One uploaded quality report, already parsed into ``metrics``.

    ``metrics`` holds what the kind needs: ``coverage`` (float percent), ``quality``
    (float) and ``grade`` (str), ``vulnerabilities`` ({critical, high, medium, low}),
    ``tests`` ({passed, failed, skipped}).
    """

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_lookup", "project_id", "kind", "branch", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    branch: Mapped[str] = mapped_column(String(255), default="main", server_default="main")
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(40))
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="reports")


class StoredTheme(Base):
    """A theme made in the dashboard editor or installed from a URL (a validated document).

    Served through the ``badgeapp_themes`` hook like any plugin theme (``badgeapp.theming``).
    """

    __tablename__ = "stored_themes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    #: the theme document, as ``badgeapp.render.themes.load_theme`` accepts it
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: where it came from: ``editor``, ``import`` or the install URL
    origin: Mapped[str] = mapped_column(String(2048), default="editor", server_default="editor")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnalyticsCount(Base):
    """One counter of the analytics (``badgeapp.analytics``): ``metric``/``key`` per time bucket.

    ``metric`` is ``render``, ``error``, ``badge``, ``cache_hit``, ``cache_miss``, ``upstream``
    or ``quota`` (a gauge: the last value, not a sum); ``key`` is the family, badge path or
    token id.
    """

    __tablename__ = "analytics_counts"
    __table_args__ = (
        UniqueConstraint("bucket", "metric", "key", name="uq_analytics_counts_bucket_metric_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    metric: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
