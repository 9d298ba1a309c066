# The search engine moves out of the database (precedent.search.engine, a tantivy index on
# disk): the database's own full-text indexes over the entries go, and the change feed that
# carries each committed change to the engine comes. Going back restores the old indexes,
# built again over the entries as they stand.
from importlib import import_module

from django.db import migrations, models

ENTRIES = import_module("casebook.migrations.0009_search_entries")
FACETS = import_module("casebook.migrations.0013_search_facet_index")
NARROW = import_module("casebook.migrations.0014_search_entry_narrow_rows")

DROP = {
    "sqlite": [*ENTRIES.SQLITE_UNDO, FACETS.DROP],
    "postgresql": [*ENTRIES.POSTGRESQL_UNDO, *NARROW.WIDE],
}
RESTORE = {
    "sqlite": [*ENTRIES.SQLITE, "INSERT INTO casebook_search_fts(casebook_search_fts) VALUES ('rebuild')", FACETS.CREATE],
    "postgresql": [*ENTRIES.POSTGRESQL, *NARROW.NARROW],
}


def run(statements):
    def execute(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return execute


class Migration(migrations.Migration):
    dependencies = [("precedent", "0002_withdrawn_drafts_stay_private")]

    operations = [
        migrations.RunPython(run(DROP), run(RESTORE)),
        migrations.CreateModel(
            name="IndexChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("case_id", models.BigIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["id"]},
        ),
    ]
