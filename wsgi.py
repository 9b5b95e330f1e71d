"""WSGI entry point: ``gunicorn wsgi:app`` (see gunicorn.conf.py)."""

from badgeapp import create_app

app = create_app()
