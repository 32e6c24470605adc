"""Builders for matching tests: published, indexed listings with texts that do or do not
belong together."""

from __future__ import annotations

from marketplace.listings.indexing import listing_index
from tests.factories import field, make_achievement, make_challenge

RESIST = {
    "title": "极紫外光刻胶 EUV metal-oxide photoresist",
    "summary": "A tin-oxo cluster photoresist for EUV lithography with high sensitivity.",
    "description": "Formulation, process window and line-edge roughness data on 300 mm wafers.",
    "keywords": ["光刻胶", "EUV", "photoresist"],
}
RESIST_WANTED = {
    "title": "寻找 EUV 光刻胶 photoresist 合作",
    "summary": "We need an EUV photoresist with low line-edge roughness for lithography.",
    "description": "Our 300 mm line needs a metal-oxide photoresist; sensitivity matters most.",
    "keywords": ["光刻胶", "photoresist"],
}
RICE = {
    "title": "耐盐碱水稻育种 salt-tolerant rice breeding",
    "summary": "Marker-assisted breeding of rice for saline soils.",
    "description": "Field trials over three seasons in coastal farmland.",
    "keywords": ["水稻", "育种"],
    "fields": [],
}


def achievement(org, **kw):
    listing = make_achievement(org, **{**RESIST, **kw})
    listing_index(listing)
    return listing


def challenge(org, **kw):
    listing = make_challenge(org, **{**RESIST_WANTED, **kw})
    listing_index(listing)
    return listing


def lithography():
    return [field("ic-lithography")]
