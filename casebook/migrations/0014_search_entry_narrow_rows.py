from django.db import migrations

# PostgreSQL only. A row longer than 2 kB has its long values compressed or moved to the
# TOAST table until it fits in 2 kB; with this, until it fits in 128 bytes. An entry with
# a decision (its holding, rationale, notes and tsvector) is that long, and then keeps
# only its short columns in the table's own pages. A search reads the row of every match
# for its scope and its precedent flag: at 100,000 entries of the benchmark those pages
# are 25 MB instead of 162 MB. The setting applies to rows as they are written, so the
# update rewrites the entries there already (autovacuum then reclaims the old rows).
NARROW = [
    "ALTER TABLE casebook_searchentry SET (toast_tuple_target = 128)",
    "UPDATE casebook_searchentry SET title = title",
]
WIDE = ["ALTER TABLE casebook_searchentry RESET (toast_tuple_target)"]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("casebook", "0013_search_facet_index")]

    operations = [migrations.RunPython(on_postgresql(NARROW), on_postgresql(WIDE))]
