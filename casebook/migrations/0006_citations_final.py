from django.db import migrations

FINAL = [
    """CREATE OR REPLACE FUNCTION casebook_citation_is_final() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'A citation is as final as the decision that makes it: never changed or deleted.';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER casebook_citation_final BEFORE UPDATE OR DELETE ON casebook_citation
    FOR EACH ROW EXECUTE FUNCTION casebook_citation_is_final()""",
]
NOT_FINAL = [
    "DROP TRIGGER IF EXISTS casebook_citation_final ON casebook_citation",
    "DROP FUNCTION IF EXISTS casebook_citation_is_final()",
]


def on_postgresql(statements):
    # As for decisions (0004): the ORM refuses, and on PostgreSQL so does the database.
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("casebook", "0005_citations")]

    operations = [migrations.RunPython(on_postgresql(FINAL), on_postgresql(NOT_FINAL))]
