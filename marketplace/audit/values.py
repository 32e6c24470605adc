"""Field values as the audit log keeps them: JSON, readable, secrets hidden.

A *snapshot* is ``{field name: value}`` of one object; two snapshots make the ``changes``
of an entry, ``{field name: [before, after]}``. Snapshots cover what people or services
set: concrete fields and many-to-many fields, but not the primary key nor fields marked
``editable=False`` (derived data such as search vectors, embeddings, timestamps, tokens).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile

Snapshot = dict[str, Any]
Changes = dict[str, list[Any]]

# Values never copied into the log: a password hash or a token is a secret even when old.
HIDDEN = "••••••"
_SECRET_WORDS = ("password", "token", "secret")


def _is_secret(name: str) -> bool:
    return any(word in name for word in _SECRET_WORDS)


def jsonable(value: Any) -> Any:
    """A value the JSON column can hold, readable by a person."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID | timedelta):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        # Related objects in a stable order, so that a diff compares like with like.
        return sorted(items, key=str) if isinstance(value, models.QuerySet | set) else items
    return str(value)


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    opts = model._meta
    fields = [*opts.concrete_fields, *opts.many_to_many]
    return [f for f in fields if f.editable and not f.primary_key]


def field_value(obj: models.Model, name: str) -> Any:
    """One field's value; a related object as "its name (#id)", many as a sorted list."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        # A property (a challenge's expiry follows from its deadline).
        return jsonable(getattr(obj, name))
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(jsonable(list(getattr(obj, name).all())), key=str)
    if field.is_relation:
        if getattr(obj, field.attname) is None:
            return None
        return jsonable(getattr(obj, name))
    return jsonable(field.value_from_object(obj))


def values_of(obj: models.Model, names: Iterable[str]) -> Snapshot:
    return {name: field_value(obj, name) for name in names}


def snapshot(obj: models.Model) -> Snapshot:
    return values_of(obj, (f.name for f in audited_fields(type(obj))))


def snapshots(model: type[models.Model], pks: Iterable[Any]) -> dict[Any, Snapshot]:
    """Fresh snapshots of objects read from the database, in a few queries whatever their
    number (related objects joined or prefetched), keyed by primary key."""
    pks = list(pks)
    if not pks:
        return {}
    fields = audited_fields(model)
    related = [f.name for f in fields if f.is_relation and not f.many_to_many]
    prefetch = [
        # select_related(): a permission's name includes its content type.
        models.Prefetch(f.name, queryset=f.related_model._base_manager.select_related())
        for f in fields
        if f.many_to_many
    ]
    rows = (
        model._base_manager.select_related(*related).prefetch_related(*prefetch).filter(pk__in=pks)
    )
    return {obj.pk: snapshot(obj) for obj in rows}


def _shown(name: str, value: Any) -> Any:
    return HIDDEN if _is_secret(name) and value not in (None, "") else value


def diff(before: Snapshot, after: Snapshot) -> Changes:
    """The fields whose value differs, as ``[before, after]``."""
    return {
        name: [_shown(name, before.get(name)), _shown(name, after.get(name))]
        for name in {**before, **after}
        if before.get(name) != after.get(name)
    }


def added(after: Snapshot) -> Changes:
    return diff({}, {k: v for k, v in after.items() if v not in (None, "", [])})


def removed(before: Snapshot) -> Changes:
    return diff({k: v for k, v in before.items() if v not in (None, "", [])}, {})
