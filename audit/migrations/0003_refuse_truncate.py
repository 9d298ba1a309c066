from django.db import migrations

# TRUNCATE passes row triggers by: a statement trigger refuses it too. The test suite's
# flush between transactional tests truncates every table, so a session that has said so
# (SET casebook.flushing_tests = 'on', which only tests/conftest.py does) may.
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION casebook_auditevent_no_truncate() RETURNS trigger AS $$
    BEGIN
        IF current_setting('casebook.flushing_tests', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'The audit log is append-only: TRUNCATE refused';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER casebook_auditevent_no_truncate BEFORE TRUNCATE ON casebook_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_auditevent_no_truncate()""",
]
UNDO = [
    "DROP TRIGGER IF EXISTS casebook_auditevent_no_truncate ON casebook_auditevent",
    "DROP FUNCTION IF EXISTS casebook_auditevent_no_truncate()",
]


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement, params=None)


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UNDO:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_in_the_database")]

    operations = [migrations.RunPython(refuse_truncate, allow_truncate)]
