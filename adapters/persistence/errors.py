"""Translate SQLAlchemy/DBAPI errors into eventsourcing's persistence errors (PEP 249 names)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing import persistence as es
from sqlalchemy import exc as sa_exc

_TRANSLATIONS: tuple[tuple[type[Exception], type[es.PersistenceError]], ...] = (
    (sa_exc.IntegrityError, es.IntegrityError),
    (sa_exc.DataError, es.DataError),
    (sa_exc.OperationalError, es.OperationalError),
    (sa_exc.ProgrammingError, es.ProgrammingError),
    (sa_exc.InternalError, es.InternalError),
    (sa_exc.NotSupportedError, es.NotSupportedError),
    (sa_exc.InterfaceError, es.InterfaceError),
    (sa_exc.DatabaseError, es.DatabaseError),
    (sa_exc.DBAPIError, es.PersistenceError),
    (sa_exc.TimeoutError, es.OperationalError),  # connection pool exhausted
)


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except (sa_exc.DBAPIError, sa_exc.TimeoutError) as error:
        raise translate(error) from error


def translate(error: Exception) -> es.PersistenceError:
    for sa_class, es_class in _TRANSLATIONS:
        if isinstance(error, sa_class):
            detail = error.orig if isinstance(error, sa_exc.DBAPIError) else error
            return es_class(str(detail))
    return es.PersistenceError(str(error))
