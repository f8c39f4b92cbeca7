"""The course search index, on the database's own full-text engine.

Not Django models: the objects are engine-specific (a PostgreSQL ``tsvector`` with a GIN index,
an SQLite FTS5 virtual table) and only ``sankore.catalog.search`` reads or writes them.

- ``catalog_course_search``: one row per *published* course with what search filters and sorts
  on (level, recognitions, a folded title for sorting) and a snapshot of its sessions' states,
  valid between ``states_from`` and ``states_until``; on PostgreSQL also the weighted
  ``document``.
- ``catalog_course_search_text`` (SQLite only): the FTS5 table, ``rowid`` = course id.
- ``catalog_course_search_state``: one row whose ``version`` changes with every index write,
  so cached facet counts know when they are stale (shared by every process).

Triggers remove a course's rows whenever the course row goes, by any path (including the
``TRUNCATE`` / ``DELETE`` of Django's test flush): a foreign key would make that flush fail on
PostgreSQL. Other triggers mark a course's snapshot as expired when one of its sessions is
added, removed or has its dates or publication changed, whoever does it: search then computes
that course from its sessions until the snapshot is taken again. (Enrolment counters do not
fire them.) The tables start empty; ``search_index_rebuild()`` fills them for existing data.
"""

# A snapshot "valid until" this date has expired: search recomputes the course.
EXPIRED = "1970-01-01 00:00:00"
RUN_COLUMNS = 'start, "end", enrolment_start, enrolment_end, is_published, course_id'

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

POSTGRESQL_FORWARDS = [
    """
    CREATE TABLE catalog_course_search (
        course_id bigint PRIMARY KEY,
        level varchar(16) NOT NULL,
        recognitions smallint NOT NULL,
        title_key text COLLATE "C" NOT NULL,
        states smallint NOT NULL,
        availability smallint NOT NULL,
        states_from timestamp with time zone NULL,
        states_until timestamp with time zone NULL,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX catalog_course_search_document ON catalog_course_search USING gin (document)",
    """
    CREATE INDEX catalog_course_search_order
        ON catalog_course_search (availability, title_key, course_id)
    """,
    "CREATE INDEX catalog_course_search_from ON catalog_course_search (states_from)",
    "CREATE INDEX catalog_course_search_until ON catalog_course_search (states_until)",
    "CREATE TABLE catalog_course_search_state (id smallint PRIMARY KEY, version bigint NOT NULL)",
    "INSERT INTO catalog_course_search_state (id, version) VALUES (1, 0)",
    """
    CREATE FUNCTION catalog_course_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM catalog_course_search;
        ELSE
            DELETE FROM catalog_course_search WHERE course_id = OLD.id;
        END IF;
        UPDATE catalog_course_search_state SET version = version + 1 WHERE id = 1;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER catalog_course_search_forget_row AFTER DELETE ON catalog_course
        FOR EACH ROW EXECUTE FUNCTION catalog_course_search_forget()
    """,
    """
    CREATE TRIGGER catalog_course_search_forget_all AFTER TRUNCATE ON catalog_course
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_course_search_forget()
    """,
    f"""
    CREATE FUNCTION catalog_course_search_expire() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE catalog_course_search SET states_until = '{EXPIRED}+00'
                WHERE course_id = OLD.course_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE catalog_course_search SET states_until = '{EXPIRED}+00'
                WHERE course_id = NEW.course_id;
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    f"""
    CREATE TRIGGER catalog_course_search_expire
        AFTER INSERT OR DELETE OR UPDATE OF {RUN_COLUMNS} ON catalog_courserun
        FOR EACH ROW EXECUTE FUNCTION catalog_course_search_expire()
    """,
]

POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalog_course_search_expire ON catalog_courserun",
    "DROP FUNCTION IF EXISTS catalog_course_search_expire()",
    "DROP TRIGGER IF EXISTS catalog_course_search_forget_all ON catalog_course",
    "DROP TRIGGER IF EXISTS catalog_course_search_forget_row ON catalog_course",
    "DROP FUNCTION IF EXISTS catalog_course_search_forget()",
    "DROP TABLE IF EXISTS catalog_course_search_state",
    "DROP TABLE IF EXISTS catalog_course_search",
]

SQLITE_FORWARDS = [
    """
    CREATE TABLE catalog_course_search (
        course_id integer NOT NULL PRIMARY KEY,
        level varchar(16) NOT NULL,
        recognitions smallint NOT NULL,
        title_key text NOT NULL,
        states smallint NOT NULL,
        availability smallint NOT NULL,
        states_from datetime NULL,
        states_until datetime NULL
    )
    """,
    """
    CREATE INDEX catalog_course_search_order
        ON catalog_course_search (availability, title_key, course_id)
    """,
    "CREATE INDEX catalog_course_search_from ON catalog_course_search (states_from)",
    "CREATE INDEX catalog_course_search_until ON catalog_course_search (states_until)",
    # FTS5 has no French stemmer: the text is stored already stemmed (see search.py).
    """
    CREATE VIRTUAL TABLE catalog_course_search_text USING fts5(
        title, keywords, body, people, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    "CREATE TABLE catalog_course_search_state (id integer PRIMARY KEY, version integer NOT NULL)",
    "INSERT INTO catalog_course_search_state (id, version) VALUES (1, 0)",
    """
    CREATE TRIGGER catalog_course_search_forget AFTER DELETE ON catalog_course
    BEGIN
        DELETE FROM catalog_course_search WHERE course_id = OLD.id;
        DELETE FROM catalog_course_search_text WHERE rowid = OLD.id;
        UPDATE catalog_course_search_state SET version = version + 1 WHERE id = 1;
    END
    """,
    f"""
    CREATE TRIGGER catalog_course_search_expire_new AFTER INSERT ON catalog_courserun
    BEGIN
        UPDATE catalog_course_search SET states_until = '{EXPIRED}' WHERE course_id = NEW.course_id;
    END
    """,
    f"""
    CREATE TRIGGER catalog_course_search_expire_changed
        AFTER UPDATE OF {RUN_COLUMNS} ON catalog_courserun
    BEGIN
        UPDATE catalog_course_search SET states_until = '{EXPIRED}'
            WHERE course_id IN (OLD.course_id, NEW.course_id);
    END
    """,
    f"""
    CREATE TRIGGER catalog_course_search_expire_gone AFTER DELETE ON catalog_courserun
    BEGIN
        UPDATE catalog_course_search SET states_until = '{EXPIRED}' WHERE course_id = OLD.course_id;
    END
    """,
]

SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalog_course_search_expire_gone",
    "DROP TRIGGER IF EXISTS catalog_course_search_expire_changed",
    "DROP TRIGGER IF EXISTS catalog_course_search_expire_new",
    "DROP TRIGGER IF EXISTS catalog_course_search_forget",
    "DROP TABLE IF EXISTS catalog_course_search_state",
    "DROP TABLE IF EXISTS catalog_course_search_text",
    "DROP TABLE IF EXISTS catalog_course_search",
]


class UnaccentExtensionOnPostgreSQL(UnaccentExtension):
    """Django's operation skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"Course search supports PostgreSQL and SQLite, not {vendor}.")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement, params=None)


def create_search_index(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS})


def drop_search_index(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_create_courses_and_sessions"),
    ]

    operations = [
        UnaccentExtensionOnPostgreSQL(),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
