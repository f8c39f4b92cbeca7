"""Plain-tuple inserts for the benchmark path.

At a million rows, ``bulk_create`` spends most of its time building model instances and
compiling one placeholder per value; the database itself takes a fraction of it. Here rows are
tuples and the statement is compiled once and run with ``executemany``. Columns the caller does
not give get their model default, so a field added later with a default needs no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import connection, models

BATCH_SIZE = 5_000

Adapter = Callable[[Any], Any]


def _adapter(field: models.Field[Any, Any]) -> Adapter | None:
    """How a value of ``field`` is handed to the driver (``None``: as it is)."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: connection.ops.adapt_decimalfield_value(
            value if isinstance(value, Decimal) else Decimal(value), digits, places
        )
    return None


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (values in the order of ``fields``, given by name or attname)."""
    meta = model._meta
    given = [_concrete_field(model, name) for name in fields]
    given_names = {field.name for field in given}
    defaulted = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field.name not in given_names
    ]
    columns = given + defaulted
    constants = tuple(_adapt(field, field.get_default()) for field in defaulted)
    adapters = [(i, adapt) for i, field in enumerate(given) if (adapt := _adapter(field))]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 — names from model metadata
        quote(meta.db_table),
        ", ".join(quote(str(field.column)) for field in columns),
        ", ".join(["%s"] * len(columns)),
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH_SIZE):
            params = []
            for row in batch:
                values = list(row)
                for i, adapt in adapters:
                    values[i] = adapt(values[i])
                params.append((*values, *constants))
            cursor.executemany(sql, params)
            count += len(params)
    return count


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)  # by name or attname ("user_id")
    if not isinstance(field, models.Field) or not field.concrete:
        raise TypeError(f"{model.__name__}.{name} is not a column.")
    return field


def _adapt(field: models.Field[Any, Any], value: Any) -> Any:
    adapt = _adapter(field)
    return adapt(value) if adapt and value is not None else value


def last_pk(model: type[models.Model]) -> int:
    """The highest primary key so far: rows inserted next in this transaction come after it."""
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def pks_after(model: type[models.Model], after: int, key: str) -> dict[Any, int]:
    """``key`` → primary key of the rows inserted since ``last_pk`` returned ``after``.

    Keyed rather than ordered, so rows another session inserted meanwhile are simply ignored
    by callers looking up their own keys.
    """
    rows = model._default_manager.filter(pk__gt=after).values_list(key, "pk").iterator(10_000)
    return dict(rows)


# SQLite page cache for the bulk session, in KiB (a negative cache_size is KiB, not pages).
SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def large_page_cache() -> Iterator[None]:
    """A large SQLite page cache while bulk-loading, on this connection only.

    Unique indexes on random keys (emails, slugs) get inserts all over their B-trees; with the
    default 2 MB cache every chunk rewrites the same index pages to the write-ahead log again
    and again. Nothing changes for the other connections (web server, worker).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
