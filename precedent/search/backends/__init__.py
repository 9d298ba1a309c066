"""The engines, one per database vendor, behind one interface (base.SearchBackend)."""

from django.db import connection

from precedent.search.backends.base import SearchBackend
from precedent.search.backends.postgres import PostgreSQLBackend
from precedent.search.backends.sqlite import SQLiteBackend

BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def backend() -> SearchBackend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise RuntimeError(f"Casebook's search has no engine for {connection.vendor}.") from None
