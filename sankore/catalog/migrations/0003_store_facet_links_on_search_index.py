"""Store on each search-index row the ids its link-table facets count on.

``disciplines``, ``languages`` and ``owners``: the course's own discipline ids, language codes
and owning institution ids, sorted and comma-separated (``search_index`` writes them with the
rest of the row, in the transaction of every catalog write). Facet counts then group the
matching rows by these short texts in one pass, with no join, and expand each distinct text in
Python (a discipline's ancestors, an institution's country and region, both read at count time).
Existing rows are filled here from the link tables, so no rebuild is needed.

On PostgreSQL the row also holds the weighted ``tsvector`` (most of a 2 KB row): a covering
index of what counts read makes counting over a broad set an index-only scan rather than a
scan of the whole table. On SQLite (a narrow row, the text being in the FTS5 table) the cost
was sorting 100,000 rows per facet for ``GROUP BY``: an index per counted column, with the
columns filters test, lets it read them in order instead.
"""

from django.db import migrations

COLUMNS = ("disciplines", "languages", "owners")
LINKS = {
    "disciplines": ("catalog_course_disciplines", "discipline_id"),
    "languages": ("catalog_course_languages", "language_id"),
    "owners": ("catalog_course_owners", "institution_id"),
}

# SQLite: one covering index per part of the counts, in the order of its GROUP BY, with the
# columns that facet filters test, so counting a broad set reads an index in order.
# (Not one led by level, states or recognitions: SQLite would pick it to filter a page of
# results and then sort them; the level-recognitions-states counts use the languages' index.)
SQLITE_INDEXES = {
    f"catalog_course_search_by_{column}": f"{column}, states, level, recognitions"
    for column in COLUMNS
}


def add_columns(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE catalog_course_search ADD COLUMN {column} "
            "varchar(200) NOT NULL DEFAULT ''",
            params=None,
        )
    if vendor == "postgresql":
        assignments = ", ".join(
            f"{column} = COALESCE((SELECT string_agg(x.{key}::text, ',' ORDER BY x.{key}) "  # noqa: S608
            f"FROM {table} x WHERE x.course_id = s.course_id), '')"
            for column, (table, key) in LINKS.items()
        )
    else:
        assignments = ", ".join(
            f"{column} = COALESCE((SELECT group_concat(v, ',') FROM (SELECT x.{key} AS v "  # noqa: S608
            f"FROM {table} x WHERE x.course_id = s.course_id ORDER BY x.{key})), '')"
            for column, (table, key) in LINKS.items()
        )
    schema_editor.execute(f"UPDATE catalog_course_search AS s SET {assignments}", params=None)  # noqa: S608
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalog_course_search_facets ON catalog_course_search "
            "(course_id) INCLUDE (level, recognitions, states, states_from, states_until, "
            "disciplines, languages, owners)",
            params=None,
        )
        schema_editor.execute("ANALYZE catalog_course_search", params=None)
    else:
        for name, columns in SQLITE_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON catalog_course_search ({columns})",
                params=None,
            )


def drop_columns(apps, schema_editor):
    for name in ["catalog_course_search_facets", *SQLITE_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE catalog_course_search DROP COLUMN {column}", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_create_course_search_index"),
    ]

    operations = [
        migrations.RunPython(add_columns, drop_columns),
    ]
