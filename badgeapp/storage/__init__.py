"""Persistent storage: the SQLAlchemy engine per app, the models, API keys and their CLI.

Migrations live in the top-level ``migrations/`` folder (Alembic); ``badgeapp db upgrade``
applies them. Import models from ``badgeapp.storage.models`` and sessions from
``badgeapp.storage.db``.
"""
