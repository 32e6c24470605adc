"""Facet keys: what a listing is in the terms of the search's facets, as integers.

Each listing stores, in one integer array ``facet_keys``, a key for each of its technical
fields and their parents, its region, its TRL (a challenge's minimum TRL), its IP status and
its cooperation modes. The search filters by overlap with that array and counts every
facet's options in one pass over it (``marketplace.search.facets``), instead of one GROUP BY
per facet over wide rows and a join through the fields table.

A key holds the facet's number in its top bits and a checksum of the value below them, so a
value's key never changes (no table to keep in step) and the facet of a key is
``key >> FACET_SHIFT``. The keys of all known values are distinct (a test checks it).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable

from django.db import models
from django.db.models import Lookup

# Facet numbers start at 1: key 0 is free for "the listing itself" when counting results.
FACETS = ("field", "region", "trl", "ip_status", "mode")
FACET_SHIFT = 24
_VALUE_MASK = (1 << FACET_SHIFT) - 1


def facet_key(facet: str, value: str | int) -> int:
    """The key of one option of one facet, e.g. ``facet_key("region", "guangdong")``."""
    number = FACETS.index(facet) + 1
    return (number << FACET_SHIFT) | (zlib.crc32(str(value).encode()) & _VALUE_MASK)


def facet_number(facet: str) -> int:
    return FACETS.index(facet) + 1


def facet_keys_of(
    *,
    field_codes: Iterable[str],
    region: str,
    trl: int | None,
    ip_status: str = "",
    modes: Iterable[str] = (),
) -> list[int]:
    """A listing's keys; ``field_codes`` must already include the parents of sub-fields."""
    keys = {facet_key("field", code) for code in field_codes}
    keys |= {facet_key("mode", mode) for mode in modes}
    if region:
        keys.add(facet_key("region", region))
    if trl is not None:
        keys.add(facet_key("trl", trl))
    if ip_status:
        keys.add(facet_key("ip_status", ip_status))
    return sorted(keys)


class FacetKeysField(models.Field):
    """A list of integer keys: ``integer[]`` on PostgreSQL, a JSON list in text elsewhere.

    Filter with ``facet_keys__overlaps=[keys]`` (holds any of them).
    """

    description = "facet keys"

    def db_type(self, connection) -> str:
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        keys = [int(k) for k in value]
        return keys if connection.vendor == "postgresql" else json.dumps(keys)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value


@FacetKeysField.register_lookup
class Overlaps(Lookup):
    """The listing holds at least one of the given keys."""

    lookup_name = "overlaps"
    prepare_rhs = False

    def _keys(self) -> list[int]:
        return [int(k) for k in self.rhs]

    def as_sql(self, compiler, connection):
        # SQLite (and any database without arrays): the JSON list, element by element.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        keys = self._keys()
        if not keys:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(keys))
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({marks}))"  # noqa: S608 - placeholders only
        return sql, [*lhs_params, *keys]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} && %s::integer[]", [*lhs_params, self._keys()]
