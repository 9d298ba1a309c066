from django.db import migrations

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION casebook_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER casebook_auditevent_append_only BEFORE UPDATE OR DELETE ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION casebook_auditevent_append_only()""",
]
# SQLite refuses edits only: its test flush deletes rows, which a DELETE trigger would block.
# A deletion breaks the chain, its head or its anchor, which verification finds.
SQLITE = [
    """CREATE TRIGGER casebook_auditevent_append_only BEFORE UPDATE ON casebook_auditevent
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE refused'); END""",
]
UNDO = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS casebook_auditevent_append_only ON casebook_auditevent",
        "DROP FUNCTION IF EXISTS casebook_auditevent_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS casebook_auditevent_append_only"],
}


def refuse_edits(apps, schema_editor):
    # The ORM already refuses (AppendOnlyQuerySet, AuditEvent.save); the database refuses raw SQL too.
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def allow_edits(apps, schema_editor):
    for statement in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(refuse_edits, allow_edits)]
