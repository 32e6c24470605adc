"""Reasons in words, rendered from ``scoring``'s structured items in either language.

Each phrase is one translatable sentence fragment; ``render`` joins them with the
language's own separator, e.g. "both in Integrated circuits › Lithography; shared terms:
photoresist, EUV; TRL 7 meets the required 6; licence wanted and offered; same region".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.choices import Region
from marketplace.listings.choices import CooperationMode
from marketplace.listings.models import TechnicalField

LANGUAGES = ("en", "zh-hans")


def field_names() -> dict[str, tuple[str, str]]:
    """{code: (English name, Chinese name)} with the parent's name before a sub-field's."""
    fields = TechnicalField.objects.select_related("parent")
    names = {}
    for f in fields:
        if f.parent_id:
            names[f.code] = (
                f"{f.parent.name_en} › {f.name_en}",
                f"{f.parent.name_zh} › {f.name_zh}",
            )
        else:
            names[f.code] = (f.name_en, f.name_zh)
    return names


# Feedback (``feedback.Adjustment.reasons``): who marked similar matches, which way.
_FEEDBACK = {
    (True, "achievement"): lambda: _(
        "similar matches were marked relevant by the achievement's owner"
    ),
    (True, "challenge"): lambda: _("similar matches were marked relevant by the challenge's owner"),
    (True, "both"): lambda: _("similar matches were marked relevant by both organisations"),
    (False, "achievement"): lambda: _(
        "similar matches were marked not relevant by the achievement's owner"
    ),
    (False, "challenge"): lambda: _(
        "similar matches were marked not relevant by the challenge's owner"
    ),
    (False, "both"): lambda: _("similar matches were marked not relevant by both organisations"),
}


def _field(code: str, names: Mapping[str, tuple[str, str]], english: bool) -> str:
    en, zh = names.get(code, (code, code))
    return en if english else zh


def _phrase(item: Mapping, names: Mapping[str, tuple[str, str]], english: bool) -> str | None:
    kind = item["kind"]
    sep = ", " if english else "、"
    if kind == "field_same":
        return _("both in %(field)s") % {"field": _field(item["fields"][0], names, english)}
    if kind == "field_related":
        a, b = (_field(code, names, english) for code in item["fields"])
        return _("related fields: %(a)s and %(b)s") % {"a": a, "b": b}
    if kind == "terms":
        return _("shared terms: %(terms)s") % {"terms": sep.join(item["terms"])}
    if kind == "semantic":
        return _("close in meaning")
    if kind == "trl_meets":
        return _("TRL %(trl)d meets the required %(min)d") % item
    if kind == "trl_below":
        return _("TRL %(trl)d is below the required %(min)d") % item
    if kind == "modes_common":
        labels = [str(CooperationMode(m).label) for m in item["modes"] if m in CooperationMode]
        text = sep.join(labels)
        return _("%(modes)s wanted and offered") % {"modes": text.lower() if english else text}
    if kind == "modes_none":
        return _("no cooperation mode in common")
    if kind == "price_within":
        return _("asking price within the budget")
    if kind == "price_above":
        if item.get("ratio") is None:
            return _("asking price above the budget")
        return _("asking price %(ratio)s× the top of the budget") % {"ratio": item["ratio"]}
    if kind == "feedback":
        return _FEEDBACK[(item["relevant"], item["side"])]()
    if kind == "region_same":
        region = item["region"]
        label = str(Region(region).label) if region in Region else region
        return _("same region (%(region)s)") % {"region": label}
    return None


def render(items: Sequence[Mapping], language: str, names: Mapping[str, tuple[str, str]]) -> str:
    with translation.override(language):
        english = language.startswith("en")
        phrases = [p for p in (_phrase(item, names, english) for item in items) if p]
        return ("; " if english else "；").join(phrases)


def render_both(items: Sequence[Mapping], names: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """{"reasons_en": ..., "reasons_zh": ...}"""
    return {
        "reasons_en": render(items, "en", names),
        "reasons_zh": render(items, "zh-hans", names),
    }
