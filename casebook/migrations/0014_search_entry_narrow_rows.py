from django.db import migrations

# PostgreSQL only: an entry's texts and its tsvector are kept out of the table's own pages
# (in its TOAST table) once a row passes 128 bytes, where the default is 2 kB. A search
# reads the row of every match for its scope and its precedent flag; at 100,000 entries
# those rows then fill 25 MB of pages instead of 160 MB. The update rewrites the entries
# there already, as the setting applies to rows as they are written.
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
