"""Database access for quality reports: record an upload, read the latest report, list history.

Every function takes an open SQLAlchemy session (``badgeapp.storage.db.session_scope``); the
caller owns the transaction. Reports are append-only: each upload adds one row per metric kind,
so the full history of every branch is kept. Organisation and repository names are stored lower
case, so ``Acme/Widgets`` and ``acme/widgets`` are one project (as on GitHub).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badgeapp.quality.report import Metrics
from badgeapp.storage.models import Project, Report, utcnow


def find_project(session: Session, org: str, repo: str) -> Project | None:
    """The project ``org/repo`` (any case), or None."""
    return session.scalars(
        select(Project).where(Project.org == org.lower(), Project.repo == repo.lower())
    ).one_or_none()


def get_or_create_project(session: Session, org: str, repo: str) -> Project:
    """The project ``org/repo``, created on first upload; safe when uploads race.

    The INSERT comes first (``ON CONFLICT DO NOTHING``) so that the transaction is a writer from
    its first statement: SQLite then waits for the lock (busy timeout) instead of failing the
    read-to-write upgrade with "database is locked".
    """
    org, repo = org.lower(), repo.lower()
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
        session.execute(
            insert(Project)
            .values(org=org, repo=repo, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["org", "repo"])
        )
        project = find_project(session, org, repo)
        assert project is not None
        return project
    project = find_project(session, org, repo)
    if project is not None:
        return project
    try:
        with session.begin_nested():
            project = Project(org=org, repo=repo)
            session.add(project)
            session.flush()
    except IntegrityError:
        project = find_project(session, org, repo)
        if project is None:  # pragma: no cover - the conflicting row must exist
            raise
    return project


def record_reports(
    session: Session,
    org: str,
    repo: str,
    branch: str,
    fmt: str,
    metrics_by_kind: dict[str, Metrics],
) -> list[Report]:
    """Add one ``Report`` per kind for ``org/repo`` on ``branch``; return the new rows."""
    project = get_or_create_project(session, org, repo)
    rows = [
        Report(project_id=project.id, branch=branch, kind=kind, format=fmt, metrics=metrics)
        for kind, metrics in metrics_by_kind.items()
    ]
    session.add_all(rows)
    session.flush()
    return rows


def latest_report(session: Session, project: Project, kind: str, branch: str) -> Report | None:
    """The newest report of ``kind`` on ``branch`` (ties broken by id), or None."""
    return session.scalars(
        select(Report)
        .where(Report.project_id == project.id, Report.kind == kind, Report.branch == branch)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1)
    ).one_or_none()


def report_history(
    session: Session,
    project: Project,
    *,
    branch: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[Report]:
    """Newest first, optionally filtered by branch and kind."""
    query = select(Report).where(Report.project_id == project.id)
    if branch is not None:
        query = query.where(Report.branch == branch)
    if kind is not None:
        query = query.where(Report.kind == kind)
    query = query.order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    return list(session.scalars(query))
