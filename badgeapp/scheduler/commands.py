"""The scheduler's hooks: start the runner at start-up, count badge views, ``badgeapp jobs``.

``badgeapp jobs`` lists every job (name, interval, what it does), whether this deployment runs
them and which lease elects the runner; ``badgeapp jobs --run NAME`` runs one job now, in the
command's own process (for cron or a one-off clean-up), and prints what it did.
"""

from __future__ import annotations

import json

import click
from flask import Flask, Response, current_app, request
from flask.cli import with_appcontext

from badgeapp import scheduler
from badgeapp.badges import popular
from badgeapp.badges.provider_values import split_suffix
from badgeapp.hookspecs import hookimpl

#: the endpoint whose views feed the pre-warm list
PROVIDER_ENDPOINT = "providers.provider_badge"


def _count_view(response: Response) -> Response:
    """Count a served provider badge (default variant: the path without suffix or query)."""
    if request.endpoint == PROVIDER_ENDPOINT and response.status_code == 200:
        args = request.view_args or {}
        parts = [p for p in str(args.get("rest", "")).split("/") if p]
        if parts:
            parts[-1] = split_suffix(parts[-1])[0]
            popular.record_view(current_app, "/".join([str(args.get("provider")), *parts]))
    return response


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Start the runner when ``SCHEDULER_ENABLED`` (default: under gunicorn)."""
    if not scheduler.enabled(app):
        return
    if app.config["SCHEDULER_PREWARM_INTERVAL"] > 0:
        app.after_request(_count_view)
    scheduler.start(app)


def _every(seconds: float) -> str:
    if seconds <= 0:
        return "off"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{seconds:g} s"


@click.command("jobs")
@click.option("--run", "run_name", metavar="NAME", help="Run one job now and print its result.")
@with_appcontext
def jobs_command(run_name: str | None) -> None:
    """List the scheduled jobs (or run one now with --run NAME)."""
    app = current_app._get_current_object()
    jobs = scheduler.collect_jobs(app)
    if run_name:
        found = [job for job in jobs if job.name == run_name]
        if not found:
            raise click.UsageError(f"no job {run_name!r}; see 'badgeapp jobs'")
        click.echo(json.dumps(found[0].func(app), default=str))
        return
    for job in jobs:
        click.echo(f"{job.name:<16} every {_every(job.seconds):<8} {job.description}")
    state = "on" if scheduler.enabled(app) else "off (SCHEDULER_ENABLED)"
    lease = scheduler.lease_for(app).kind
    click.echo(f"runner: {state}; one runner elected by a {lease} lease")


@hookimpl
def badgeapp_register_commands(cli: click.Group) -> None:
    """Add ``badgeapp jobs``."""
    cli.add_command(jobs_command)
