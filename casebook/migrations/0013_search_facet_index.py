from django.db import migrations

# SQLite only: the columns a search's scope, sort and facets read of an entry, in one narrow
# index that the SQLite engine names (INDEXED BY) instead of reading each entry's wide row.
# PostgreSQL reads its heap as it must for a GIN match, and needs none. A later migration
# that remakes casebook_searchentry on SQLite drops this index with the old table, and must
# create it again.
CREATE = """CREATE INDEX casebook_search_facets ON casebook_searchentry (id, open_to_all, case_id, decision_id,
superseded_at, issued_at, outcome, partner_id, country, mission_area, architecture, precedent)"""
DROP = "DROP INDEX IF EXISTS casebook_search_facets"


def on_sqlite(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("casebook", "0012_case_embeddings")]

    operations = [migrations.RunPython(on_sqlite(CREATE), on_sqlite(DROP))]
