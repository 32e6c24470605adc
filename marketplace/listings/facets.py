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

import zlib
from collections.abc import Iterable

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
