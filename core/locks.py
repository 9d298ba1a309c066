from django.db import connection


def transaction_lock(name: str) -> None:
    """Serialise the rest of the current transaction with every other holding `name`.

    PostgreSQL takes an advisory lock released at commit or rollback; SQLite needs none,
    as its transactions begin IMMEDIATE (see settings) and so already run one at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
