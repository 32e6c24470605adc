"""Reasons in plain words, rendered from ``scoring``'s structured items in either language.

Each reason is one translatable sentence, e.g. "Both work in Integrated circuits ›
Lithography. Both are about photoresist, EUV. Mature enough: TRL 7, and 6 or more is asked.
Both are open to a licence." The numbers behind the score are shown apart (the matches
page folds them away), and shared terms only when they are specific (``terms.shared_terms``).
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
    (True, "achievement"): lambda: _("The achievement's owner marked similar matches relevant."),
    (True, "challenge"): lambda: _("The challenge's owner marked similar matches relevant."),
    (True, "both"): lambda: _("Both organisations marked similar matches relevant."),
    (False, "achievement"): lambda: _(
        "The achievement's owner marked similar matches not relevant."
    ),
    (False, "challenge"): lambda: _("The challenge's owner marked similar matches not relevant."),
    (False, "both"): lambda: _("Both organisations marked similar matches not relevant."),
}


def _field(code: str, names: Mapping[str, tuple[str, str]], english: bool) -> str:
    en, zh = names.get(code, (code, code))
    return en if english else zh


def _modes(codes: Sequence[str], english: bool) -> str:
    labels = [str(CooperationMode(m).label) for m in codes if m in CooperationMode]
    if english:
        labels = [label.lower() for label in labels]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return "或".join(labels)


def _phrase(item: Mapping, names: Mapping[str, tuple[str, str]], english: bool) -> str | None:
    """One reason as a sentence a person reads."""
    kind = item["kind"]
    sep = ", " if english else "、"
    if kind == "field_same":
        return _("Both work in %(field)s.") % {"field": _field(item["fields"][0], names, english)}
    if kind == "field_related":
        a, b = (_field(code, names, english) for code in item["fields"])
        return _("Their fields are neighbours: %(a)s and %(b)s.") % {"a": a, "b": b}
    if kind == "terms":
        return _("Both are about %(terms)s.") % {"terms": sep.join(item["terms"])}
    if kind == "semantic":
        return _("Their descriptions are close in meaning.")
    if kind == "trl_meets":
        return _("Mature enough: TRL %(trl)d, and %(min)d or more is asked.") % item
    if kind == "trl_below":
        return _("Less mature than asked: TRL %(trl)d, and %(min)d or more is asked.") % item
    if kind == "modes_common":
        return _("Both are open to a %(modes)s.") % {"modes": _modes(item["modes"], english)}
    if kind == "modes_none":
        return _("They want different forms of cooperation.")
    if kind == "price_within":
        return _("The asking price is within the budget.")
    if kind == "price_above":
        if item.get("ratio") is None:
            return _("The asking price is above the budget.")
        return _("The asking price is %(ratio)s times the top of the budget.") % {
            "ratio": item["ratio"]
        }
    if kind == "feedback":
        return _FEEDBACK[(item["relevant"], item["side"])]()
    if kind == "region_same":
        region = item["region"]
        label = str(Region(region).label) if region in Region else region
        return _("Both are in %(region)s.") % {"region": label}
    return None


def render(items: Sequence[Mapping], language: str, names: Mapping[str, tuple[str, str]]) -> str:
    """The reasons as sentences, most telling first, in a language."""
    with translation.override(language):
        english = language.startswith("en")
        phrases = [p for p in (_phrase(item, names, english) for item in items) if p]
        return (" " if english else "").join(phrases)


def render_both(items: Sequence[Mapping], names: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """{"reasons_en": ..., "reasons_zh": ...}"""
    return {
        "reasons_en": render(items, "en", names),
        "reasons_zh": render(items, "zh-hans", names),
    }
