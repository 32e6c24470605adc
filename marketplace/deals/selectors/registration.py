"""What the registration of a technology contract (技术合同认定登记) asks, read from the
contract, its deal and the two organisations: one list of labelled values per contract, the
same for the printable sheet, its PDF and the spreadsheets of an organisation or a region.

The technology provider (卖方) is the achievement's owner, or the organisation that answered
a challenge; the client (买方) the other side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.deals.models import Contract
from marketplace.listings.choices import ListingKind


@dataclass(frozen=True)
class Entry:
    label: str
    value: object
    missing: bool = False  # asked by the registration and not filled in yet

    @property
    def text(self) -> str:
        """The value as the sheet and its PDF print it: amounts grouped with two decimals,
        dates as YYYY-MM-DD, nothing for an empty value."""
        if self.value is None:
            return ""
        if isinstance(self.value, Decimal):
            return f"{self.value:,.2f}"
        if isinstance(self.value, date):
            return self.value.isoformat()
        return str(self.value)


@dataclass(frozen=True)
class Registration:
    contract: Contract
    provider: Organization
    client: Organization
    entries: list[Entry]

    @property
    def missing(self) -> list[str]:
        return [str(entry.label) for entry in self.entries if entry.missing]


def registration_contracts() -> QuerySet[Contract]:
    """Contracts with everything their registration reads, in one statement."""
    return Contract.objects.select_related(
        "deal__conversation__interest__achievement",
        "deal__conversation__interest__challenge",
        "deal__conversation__owner_organization",
        "deal__conversation__other_organization",
        "deal__brokered_by",
        "technical_field",
        "recorded_by",
    ).order_by("signed_on", "pk")


def region_contracts(region: str | None, start: date, end: date) -> QuerySet[Contract]:
    """The contracts signed from ``start`` to ``end`` (both included) about a listing of the
    region (every region when None): a centre's registration list for a period."""
    contracts = registration_contracts().filter(signed_on__gte=start, signed_on__lte=end)
    if region is not None:
        prefix = "deal__conversation__interest__"
        contracts = contracts.filter(
            Q(**{f"{prefix}achievement__region": region})
            | Q(**{f"{prefix}challenge__region": region})
        )
    return contracts


@dataclass(frozen=True)
class _Parties:
    contract: Contract
    provider: Organization
    client: Organization
    listing: object


def _parties(contract: Contract) -> _Parties:
    conversation = contract.deal.conversation
    listing = conversation.interest.listing
    provider, client = conversation.owner_organization, conversation.other_organization
    if listing.kind == ListingKind.CHALLENGE:
        provider, client = client, provider
    return _Parties(contract, provider, client, listing)


def _name(user) -> str:
    return user.full_name if user else ""


# The registration's columns in its order: (label, value, asked by the registration: a
# missing value is pointed out on the sheet). ``p`` is a contract's _Parties.
_PROVIDER, _CLIENT = _("Technology provider"), _("Client")
_CODE, _REGION = _("{role}: unified social credit code"), _("{role}: region")
COLUMNS: list[tuple[object, Callable[[_Parties], object], bool]] = [
    (_("Contract name"), lambda p: p.contract.title or p.listing.title, True),
    (_("Contract number"), lambda p: p.contract.number, True),
    (_("Contract type"), lambda p: p.contract.get_contract_type_display(), True),
    (_PROVIDER, lambda p: p.provider.name, True),
    (format_lazy(_CODE, role=_PROVIDER), lambda p: p.provider.credit_code, True),
    (format_lazy(_REGION, role=_PROVIDER), lambda p: p.provider.get_region_display(), True),
    (_CLIENT, lambda p: p.client.name, True),
    (format_lazy(_CODE, role=_CLIENT), lambda p: p.client.credit_code, True),
    (format_lazy(_REGION, role=_CLIENT), lambda p: p.client.get_region_display(), True),
    (_("Contract value"), lambda p: p.contract.value, True),
    (_("Currency"), lambda p: p.contract.currency, True),
    (_("Technology income"), lambda p: p.contract.technology_income, True),
    (_("Signed on"), lambda p: p.contract.signed_on, True),
    (_("Valid from"), lambda p: p.contract.valid_from, True),
    (_("Valid until"), lambda p: p.contract.valid_until, True),
    (_("Technical field"), lambda p: str(p.contract.technical_field or ""), True),
    (
        _("Achievement"),
        lambda p: p.listing.title if p.listing.kind == ListingKind.ACHIEVEMENT else "",
        False,
    ),
    (_("Listing address"), lambda p: settings.SITE_URL + p.listing.get_absolute_url(), False),
    (_("Technology broker"), lambda p: _name(p.contract.deal.brokered_by), False),
    (_("Recorded by"), lambda p: _name(p.contract.recorded_by), False),
]


def contract_registration(contract: Contract) -> Registration:
    parties = _parties(contract)
    entries = []
    for label, value_of, asked in COLUMNS:
        value = value_of(parties)
        entries.append(Entry(str(label), value, missing=asked and value in (None, "")))
    return Registration(contract, parties.provider, parties.client, entries)


def registration_table(contracts) -> tuple[list[str], list[list[object]]]:
    """The registration layout as a table: one row per contract."""
    headers = [str(label) for label, _value, _asked in COLUMNS]
    rows = [[entry.value for entry in contract_registration(c).entries] for c in contracts]
    return headers, rows
