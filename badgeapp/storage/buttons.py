"""Nice-button rows: create with a fresh public id, look up, and count atomically.

Counting is one SQL statement, ``UPDATE buttons SET count = count + 1 ... RETURNING count``,
so concurrent nices from any number of processes are never lost (no read-modify-write).
"""

from __future__ import annotations

import secrets
import string

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badgeapp.storage.models import Button

#: public ids are letters and digits only: no "-" (shields' static-badge separator), no "_"
PUBLIC_ID_ALPHABET = string.ascii_letters + string.digits
PUBLIC_ID_LENGTH = 12


def new_public_id(length: int = PUBLIC_ID_LENGTH) -> str:
    """A random alphanumeric id (62**12, about 71 bits)."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(length))


def create_button(session: Session) -> Button:
    """Insert a button with count 0 and a unique public id."""
    for _attempt in range(5):
        button = Button(public_id=new_public_id(), count=0)
        try:
            with session.begin_nested():
                session.add(button)
        except IntegrityError:
            continue
        return button
    raise RuntimeError("could not find a free public id")


def get_button(session: Session, public_id: str) -> Button | None:
    """The button with ``public_id``, or None."""
    return session.scalars(select(Button).where(Button.public_id == public_id)).one_or_none()


def get_count(session: Session, public_id: str) -> int | None:
    """The current count of ``public_id``, or None when there is no such button."""
    return session.scalars(select(Button.count).where(Button.public_id == public_id)).one_or_none()


def increment(session: Session, public_id: str, by: int = 1) -> int | None:
    """Add ``by`` atomically; return the new count, or None when there is no such button."""
    statement = (
        update(Button)
        .where(Button.public_id == public_id)
        .values(count=Button.count + by)
        .execution_options(synchronize_session=False)
    )
    if session.get_bind().dialect.update_returning:
        return session.scalars(statement.returning(Button.count)).one_or_none()
    if session.execute(statement).rowcount == 0:  # type: ignore[attr-defined]
        return None
    return get_count(session, public_id)
