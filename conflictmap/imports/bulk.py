"""Rows written with PostgreSQL's COPY, for imports at ACLED scale (imports/writes.py).

bulk_create builds one INSERT of every row's values, which psycopg then parses for its
placeholders (statements that long are never cached): in a 20,000-row commit those two took
four tenths of the time (py-spy), more than the database's own work. COPY sends the rows as
data. It returns no ids, so an item's id is taken from its table's sequence first (the ids it
would have had), and the many-to-many links and revisions that need them follow.

Like bulk_create, it calls no save() and sends no signal: callers write what those would.
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

PLAIN = (str, int, float, dt.date, uuid.UUID)  # bool is an int; a datetime is a date


def take_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the sequence of `model`'s primary key, as inserts would take them."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, column, count])  # fmt: skip
        return [pk for (pk,) in cursor.fetchall()]


def copy_in(model: type[models.Model], items: Iterable[models.Model]) -> None:
    """COPY `items` (unsaved instances) into `model`'s table, every concrete field as save()
    would store it (auto_now included); the primary key only where the items have one."""
    items = list(items)
    if not items:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key or items[0].pk is not None]
    rows = ([stored(field, field.pre_save(item, True)) for field in fields] for item in items)
    copy_rows(model, [field.column for field in fields], rows)


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable) -> None:
    """COPY `rows` (sequences of values as the database stores them) into `model`'s `columns`."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def stored(field: models.Field, value):
    """A field's value as COPY takes it: a shape as hexadecimal EWKB (PostGIS reads it as text);
    plain values as they are, as get_db_prep_save leaves them on PostgreSQL (it took a tenth of
    an import, field by field)."""
    if isinstance(field, GeometryField):
        return None if value is None else value.ewkb.hex()
    if value is None or (isinstance(value, PLAIN) and not isinstance(field, models.JSONField)):
        return value
    return field.get_db_prep_save(value, connection)
