"""Builders for matching tests: published, indexed listings with texts that do or do not
belong together."""

from __future__ import annotations

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
    return make_achievement(org, **{**RESIST, **kw})  # indexed by the factory


def challenge(org, **kw):
    return make_challenge(org, **{**RESIST_WANTED, **kw})


def lithography():
    return [field("ic-lithography")]
