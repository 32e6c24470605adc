"""Filters of the deals room's list pages: an organisation's interest (by status) and its
conversations (by the stage of their deal). Every state is a query string.

The views filter through ``marketplace.filtering.filter_leniently``: a value a filter cannot
take (an unknown status, a stage that does not exist) is ignored and the page says so, as
the searches do: never a 500, never a list filtered by something else than what the page
shows.
"""

from __future__ import annotations

import django_filters as df
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
