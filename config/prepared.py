"""Querysets compiled once per database connection, then run with each call's values.

Django compiles a queryset to SQL every time it runs it. For the reads every API request makes
(the token, the job a client polls) compiling cost several times running: a token lookup with
its account and plan took about 0.65 ms of CPU on SQLite, of which 0.45 ms was compiling and
0.04 ms executing. A `PreparedRead` builds its queryset once per connection with stand-in
values, keeps the SQL and what the compiler knows about its columns, and then runs that SQL
with the call's values, each turned into its database form by the field it is compared with
(as the lookup would), and the rows made into instances as the queryset would: select_related
objects, annotations, the backend's converters.

The queryset's shape must not depend on the values: every value is compared with its field
(`field=value`, `field__gte=value`), never None (which would compile to IS NULL).

A `PreparedInsert` does the same for `bulk_create` (Django's generic insert path, preparing,
compiling and assembling every statement afresh, was most of a create's CPU): the INSERT …
RETURNING of each model and row count is written once per connection; each call only turns its
values into their database form as Django's compiler does (`pre_save`, `get_db_prep_save`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, JSONField, Model, QuerySet
from django.db.models.fields import AutoFieldMixin
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

# Stand-ins, by the field's internal type: values a query never holds by chance.
_STAND_INS: dict[str, Callable[[int], Any]] = {
    "CharField": lambda i: f"\x1fprepared-{i}\x1f",
    "TextField": lambda i: f"\x1fprepared-{i}\x1f",
    "SlugField": lambda i: f"prepared-{i}-stand-in",
    "GenericIPAddressField": lambda i: f"198.51.100.{200 + i}",
    "DateTimeField": lambda i: datetime(1901, 2, 3, 4, 5, 6, 700 + i, tzinfo=UTC),
    "BigAutoField": lambda i: 7_000_000_019 + i,
    "AutoField": lambda i: 1_900_000_019 + i,
    "BigIntegerField": lambda i: 7_000_000_019 + i,
    "IntegerField": lambda i: 1_900_000_019 + i,
    "PositiveIntegerField": lambda i: 1_900_000_019 + i,
}


def _value_field(field: Field) -> Field:
    """The field whose type a value compared with `field` has (a foreign key's target)."""
    return field.target_field if field.is_relation else field


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per SQL parameter: the name of the call's value it takes, or None for a fixed one.
    slots: tuple[str | None, ...]
    fixed: tuple[Any, ...]
    model: type[Model]
    init_list: tuple[str, ...]
    model_span: tuple[int, int]
    populators: tuple
    annotations: tuple[tuple[str, int], ...]
    compiler: Any
    converters: dict


class PreparedRead:
    """`build(**values)` → a model queryset, compiled once per connection.

    `fields` names each value and the model field it is compared with (a foreign key takes
    the key's value, an id). The queryset runs on the `using` database.
    """

    def __init__(
        self, build: Callable[..., QuerySet], *, using: str = DEFAULT_DB_ALIAS, **fields: Field
    ) -> None:
        self.build = build
        self.using = using
        self.fields = fields

    def run(self, **values: Any) -> list[Model]:
        if values.keys() != self.fields.keys():
            raise TypeError(f"expected the values {sorted(self.fields)}, got {sorted(values)}")
        if any(value is None for value in values.values()):
            raise ValueError("a prepared read cannot compare with None (its SQL would differ)")
        connection = connections[self.using]
        # Kept on the connection (each thread or async context has its own), and gone with it.
        cache = connection.__dict__.setdefault("_castless_prepared_reads", {})
        compiled = cache.get(self)
        if compiled is None:
            compiled = cache[self] = self._compile(connection)
        return self._rows(compiled, connection, values)

    def first(self, **values: Any) -> Model | None:
        rows = self.run(**values)
        return rows[0] if rows else None

    def _stand_ins(self) -> dict[str, Any]:
        return {
            name: _STAND_INS[_value_field(field).get_internal_type()](i)
            for i, (name, field) in enumerate(self.fields.items())
        }

    def _compile(self, connection) -> _Compiled:
        stand_ins = self._stand_ins()
        queryset = self.build(**stand_ins).using(self.using)
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
            raise TypeError("a prepared read makes model instances from a plain queryset")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise TypeError("a prepared read does not support extra()")
        adapted = {
            name: self.fields[name].get_db_prep_value(value, connection, prepared=False)
            for name, value in stand_ins.items()
        }
        slots = tuple(
            next((name for name, value in adapted.items() if value == param), None)
            for param in params
        )
        missing = set(self.fields) - set(slots)
        if missing:
            raise TypeError(f"the values {sorted(missing)} do not reach the SQL as parameters")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            slots=slots,
            fixed=tuple(params),
            model=klass_info["model"],
            init_list=tuple(column[0].target.attname for column in select[start:end]),
            model_span=(start, end),
            populators=tuple(get_related_populators(klass_info, select, self.using)),
            annotations=tuple(compiler.annotation_col_map.items()),
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
        )

    def _rows(self, compiled: _Compiled, connection, values: dict) -> list[Model]:
        adapted = {
            name: self.fields[name].get_db_prep_value(value, connection, prepared=False)
            for name, value in values.items()
        }
        params = [
            fixed if slot is None else adapted[slot]
            for slot, fixed in zip(compiled.slots, compiled.fixed, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        start, end = compiled.model_span
        objects = []
        for row in rows:
            obj = compiled.model.from_db(self.using, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class PreparedInsert:
    """`model.objects.bulk_create(objects)` (no signals, like it), its statement written once
    per connection and row count. Sets each object's primary key and state.

    Every concrete field but the automatic key is written, each value as `pre_save` and
    `get_db_prep_save` make it. SQLite takes INSERT … VALUES (…), … RETURNING. PostgreSQL
    takes the rows as one JSON parameter (`json_populate_recordset` over the table's own row
    type, so each value is cast to its column's type): psycopg re-parses any statement with
    more than 50 parameters on every run and dumps each value in Python, which was a fifth of
    a create's CPU for the 240 values of eight drafts. A value Django would compile into the
    SQL itself (an expression) or of a type JSON does not carry takes Django's `bulk_create`.
    """

    def __init__(self, model: type[Model], *, using: str = DEFAULT_DB_ALIAS) -> None:
        self.model = model
        self.using = using
        pk = model._meta.pk
        if not isinstance(pk, AutoFieldMixin):
            raise TypeError("a prepared insert leaves the key to the database (an AutoField)")
        self.fields = tuple(f for f in model._meta.local_concrete_fields if f is not pk)
        self._columns = [f.column for f in self.fields]
        self._json = tuple(isinstance(f, JSONField) for f in self.fields)
        self._plain = tuple(
            _PLAIN_TYPES.get(_value_field(f).get_internal_type()) for f in self.fields
        )
        self._automatic = tuple(
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in self.fields
        )
        for field, automatic in zip(self.fields, self._automatic, strict=True):
            if automatic and field.get_internal_type() != "DateTimeField":
                raise TypeError(f"{field}: only automatic times (not dates) are supported")

    def insert(self, objects: list[Model]) -> list[Model]:
        if not objects:
            return objects
        if any(obj.pk is not None for obj in objects):
            return self._django_bulk_create(objects)
        keys = self._insert([[f.pre_save(obj, True) for f in self.fields] for obj in objects])
        if keys is None:
            return self._django_bulk_create(objects)
        for obj, key in zip(objects, keys, strict=True):
            obj.pk = key
            obj._state.adding = False
            obj._state.db = self.using
        return objects

    def insert_rows(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows given as {attname: value} without making model instances (eight
        drafts' instances cost more than their insert); their keys, in order. A field a row
        leaves out takes its default; an auto_now or auto_now_add time is now."""
        unknown = {name for row in rows for name in row} - {f.attname for f in self.fields}
        if unknown:
            raise TypeError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        now = timezone.now()
        keys = self._insert([self._row_values(row, now) for row in rows])
        if keys is None:
            objects = self._django_bulk_create([self.model(**row) for row in rows])
            keys = [obj.pk for obj in objects]
        return keys

    def json_rows(self, rows: list[Model | dict[str, Any]]) -> str | None:
        """PostgreSQL: rows (instances, which get their automatic times, or dicts as for
        `insert_rows`) as the JSON parameter of `select_from_json`; None when a value cannot
        go as JSON (then insert the usual way)."""
        connection = connections[self.using]
        now = timezone.now()
        values = [
            self._row_values(row, now)
            if isinstance(row, dict)
            else [f.pre_save(row, True) for f in self.fields]
            for row in rows
        ]
        prepared = self._prepared_rows(values, connection, by_json=True)
        return None if prepared is None else _to_json(prepared, self._columns)

    def select_from_json(self, *, alias: str, taken: dict[str, str] | None = None) -> str:
        """PostgreSQL: `INSERT INTO <table> (…) SELECT …` from the rows of `json_rows` (its
        %s) as `alias`, a column in `taken` from that SQL expression instead; the caller
        appends joins, ORDER BY and RETURNING."""
        quote = connections[self.using].ops.quote_name
        table, taken = quote(self.model._meta.db_table), taken or {}
        unknown = set(taken) - set(self._columns)
        if unknown:
            raise TypeError(f"{self.model.__name__} has no columns {sorted(unknown)}")
        columns = ", ".join(quote(column) for column in self._columns)
        values = ", ".join(taken.get(c, f"{alias}.{quote(c)}") for c in self._columns)
        return (
            f"INSERT INTO {table} ({columns}) SELECT {values}"
            f" FROM json_populate_recordset(NULL::{table}, %s::json) AS {alias}"
        )

    def _row_values(self, row: dict[str, Any], now: datetime) -> list:
        return [
            now
            if automatic
            else (row[field.attname] if field.attname in row else field.get_default())
            for field, automatic in zip(self.fields, self._automatic, strict=True)
        ]

    def _insert(self, rows: list[list]) -> list[int] | None:
        """Insert the rows of field values (as `pre_save` gives them); their keys, or None
        where the statement cannot carry them and Django's `bulk_create` must."""
        if not rows:
            return []
        connection = connections[self.using]
        by_json = connection.vendor == "postgresql"
        sql = self._sql(connection, len(rows), by_json=by_json)
        if sql is None:
            return None
        prepared = self._prepared_rows(rows, connection, by_json=by_json)
        if prepared is None:
            return None
        if by_json:
            params = [_to_json(prepared, self._columns)]
        else:
            params = [value for row in prepared for value in row]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [key for (key,) in cursor.fetchall()]

    def _django_bulk_create(self, objects: list[Model]) -> list[Model]:
        return self.model._base_manager.using(self.using).bulk_create(objects)

    def _prepared_rows(self, rows: list[list], connection, *, by_json: bool) -> list | None:
        """Each row's values in their database form; None when one cannot go plain."""
        times: dict = {}
        try:
            return [self._prepared(row, connection, by_json=by_json, times=times) for row in rows]
        except _NotPlain:
            return None

    def _prepared(self, row: list, connection, *, by_json: bool, times: dict) -> list:
        values = []
        for field, value, is_json, plain in zip(
            self.fields, row, self._json, self._plain, strict=True
        ):
            if type(value) is plain or (value is None and not is_json):
                # What the field's preparation returns for these (text for a text field, a
                # number for a number field, NULL), kept as it is: most of a draft's values.
                values.append(value)
            elif hasattr(value, "resolve_expression"):
                raise _NotPlain
            elif is_json and by_json:
                values.append(_JsonValue(value, field.encoder))  # nested in the rows' JSON
            elif isinstance(value, datetime):
                # The rows' automatic times are one value: prepared once per insert.
                key = (field.get_internal_type(), value)
                if key not in times:
                    times[key] = field.get_db_prep_save(value, connection)
                values.append(times[key])
            else:
                values.append(field.get_db_prep_save(value, connection))
        return values

    def _sql(self, connection, count: int, *, by_json: bool) -> str | None:
        """The statement for `count` rows; None where the backend cannot return the keys of
        a multi-row insert or takes too few parameters."""
        features = connection.features
        if not features.can_return_rows_from_bulk_insert:
            return None
        if not by_json and count * len(self.fields) > (features.max_query_params or 1 << 30):
            return None
        cache = connection.__dict__.setdefault("_castless_prepared_inserts", {})
        key = (self, 0 if by_json else count)
        sql = cache.get(key)
        if sql is None:
            meta, quote = self.model._meta, connection.ops.quote_name
            table = quote(meta.db_table)
            columns = ", ".join(quote(field.column) for field in self.fields)
            if by_json:
                rows = f"SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s::json)"
            else:
                row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
                rows = "VALUES " + ", ".join([row] * count)
            sql = cache[key] = (
                f"INSERT INTO {table} ({columns}) {rows} RETURNING {quote(meta.pk.column)}"
            )
        return sql


# Per field type, the Python type its database preparation leaves as it is.
_PLAIN_TYPES: dict[str, type] = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField"), str),
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        int,
    ),
    "BooleanField": bool,
    "FloatField": float,
}


class _NotPlain(Exception):
    """A value the prepared statement cannot carry."""


@dataclass(frozen=True)
class _JsonValue:
    value: Any
    encoder: type[json.JSONEncoder] | None


def _to_json(rows: list[list], columns: list[str]) -> str:
    """The rows as a JSON array of objects by column name: PostgreSQL's types for the values
    a field's `get_db_prep_save` gives (text, numbers, booleans, aware times), a JSON field's
    own value nested as it is."""
    return json.dumps(
        [dict(zip(columns, row, strict=True)) for row in rows],
        default=_json_default,
        ensure_ascii=False,
        allow_nan=False,
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, _JsonValue):
        if value.encoder is None:
            return value.value
        return json.loads(json.dumps(value.value, cls=value.encoder))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()
    raise _NotPlain
