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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

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
