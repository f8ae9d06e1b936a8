"""Inserting many rows at once: COPY on PostgreSQL, bulk_create elsewhere.

An import of 100,000 rows inserts hundreds of thousands of cadres, placements and change
records. bulk_create sends them as INSERT statements of a thousand rows, each value adapted on
its own; PostgreSQL's COPY takes them as one text stream, several times faster. The primary keys
are drawn from the table's sequence first, so the objects have them afterwards, as after
bulk_create, and the objects inserted next can point at them.
"""

import json
from itertools import islice
from operator import attrgetter

from django.db import connections, models, router

BATCH_SIZE = 1000  # bulk_create's rows per INSERT elsewhere, well under SQLite's 999 variables


def bulk_insert(model, objects) -> None:
    """Insert `objects` (unsaved, of `model`); afterwards each has its primary key."""
    objects = list(objects)
    if not objects:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._base_manager.using(using).bulk_create(objects, batch_size=BATCH_SIZE)
        return
    fields = model._meta.concrete_fields
    links = [f for f in fields if f.is_relation]
    values_of = attrgetter(*[f.attname for f in fields])  # a tuple: every model has 2 or more
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk

        def rows():
            for obj in objects:
                for field in links:  # as bulk_create does: keys of related objects saved since
                    related = field.get_cached_value(obj, None)
                    if related is not None and getattr(obj, field.attname) is None:
                        setattr(obj, field.attname, related.pk)
                for field in stamped:
                    field.pre_save(obj, True)
                obj._state.adding, obj._state.db = False, using
                yield values_of(obj)

        _copy(connection, cursor, model, fields, rows())


def insert_rows(model, names: list[str], rows) -> None:
    """Insert rows given as tuples of the values of the fields `names` (attnames), the primary
    key left to the database: no model object each, where the caller needs no keys back."""
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        objects = (model(**dict(zip(names, row, strict=True))) for row in rows)
        model._base_manager.using(using).bulk_create(objects, batch_size=BATCH_SIZE)
        return
    fields = [model._meta.get_field(name) for name in names]
    with connection.cursor() as cursor:
        _copy(connection, cursor, model, fields, rows)


def _copy(connection, cursor, model, fields, rows):
    """COPY `rows` (tuples of the fields' values) into the model's table."""
    converters = [_converter(f) for f in fields]
    lines = ("\t".join([c(v) for c, v in zip(converters, row, strict=True)]) for row in rows)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # The driver's own cursor: its errors (a duplicate key, a NUL byte) are made Django's
    # IntegrityError or DataError here, as for any other query, so callers catch them.
    with connection.wrap_database_errors:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", _Stream(lines))


class _Stream:
    """A file over lines of text that COPY reads a block at a time: the whole text of a large
    insert at once would take hundreds of megabytes (a str holds Chinese in 4 bytes a character).
    Each read returns the next LINES_PER_READ lines, whatever size is asked (the driver sends
    what it gets), encoded at once."""

    LINES_PER_READ = 500

    def __init__(self, lines):
        self.lines = lines

    def read(self, size=-1):
        block = list(islice(self.lines, self.LINES_PER_READ))
        return ("\n".join(block) + "\n").encode() if block else b""


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _text(value) -> str:
    """Any other value: its str, escaped where COPY's text format needs it (one call a value:
    an import converts millions)."""
    if value is None:
        return "\\N"
    text = value if type(value) is str else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return _escaped(text)
    return text


def _number(value) -> str:
    return "\\N" if value is None else str(value)


def _converter(field):
    """value → its text in COPY's text format (\\N for NULL), chosen once per field."""
    if isinstance(field, models.JSONField):
        encode = (field.encoder or json.JSONEncoder)(ensure_ascii=False).encode  # made once
        return lambda v: "\\N" if v is None else _escaped(encode(v))
    if isinstance(field, models.BooleanField):
        return lambda v: "\\N" if v is None else ("t" if v else "f")
    if isinstance(field, models.DateField):  # DateTimeField too
        return lambda v: "\\N" if v is None else v.isoformat()
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.IntegerField):  # digits need no escape
        return _number
    return _text
