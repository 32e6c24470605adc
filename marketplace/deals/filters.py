"""Filters of the deals room's list pages: an organisation's interest (by status) and its
conversations (by the stage of their deal). Every state is a query string.

A value a filter cannot take (an unknown status, a stage that does not exist) is ignored
and the page says so (``Filtered.ignored``), as the searches do: never a 500, never a list
filtered by something else than what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters as df
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Conversation, Interest


class InterestFilterSet(df.FilterSet):
    """An organisation's interest received or sent, of one status."""

    status = df.ChoiceFilter(label=gettext_lazy("Status"), choices=InterestStatus.choices)

    class Meta:
        model = Interest
        fields: list[str] = []


class ConversationFilterSet(df.FilterSet):
    """An organisation's conversations whose deal is at one stage."""

    stage = df.ChoiceFilter(
        label=gettext_lazy("Stage"), field_name="deal__stage", choices=DealStage.choices
    )

    class Meta:
        model = Conversation
        fields: list[str] = []


@dataclass(frozen=True)
class Filtered:
    """A list filtered by the query string: the rows, the values in effect (``values``: each
    filter's cleaned value, empty when unset or ignored), what was ignored and why, and the
    query string of the filters in effect (for the links to other pages)."""

    queryset: QuerySet
    values: dict[str, object]
    ignored: list[str]
    query: str


def filter_list(
    filterset_class: type[df.FilterSet], params: QueryDict, queryset: QuerySet
) -> Filtered:
    """``queryset`` filtered by the query-string ``params`` through ``filterset_class``."""
    filterset = filterset_class(params, queryset=queryset)
    errors = filterset.errors  # validates; a field in error is left out of the filtering
    ignored = [
        _("“%(param)s” was ignored: %(error)s")
        % {"param": name, "error": " ".join(str(e) for e in messages)}
        for name, messages in errors.items()
    ]
    cleaned = filterset.form.cleaned_data
    values = {name: "" if name in errors else cleaned.get(name) or "" for name in filterset.filters}
    query = urlencode([(name, value) for name, value in values.items() if value])
    return Filtered(filterset.qs, values, ignored, query)
