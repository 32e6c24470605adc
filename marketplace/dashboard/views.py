"""The dashboard: figures of a transfer centre's region for its staff (brokers), of every
region or a chosen one for moderators, and each figure's table as CSV.

Access (``_get_scope_for_user``, for the page and every export alike): visitors log in
first; moderators and admins (``is_staff``) see every region and may choose one; active
members of a verified transfer centre see their centre's region only, and asking for
another region is refused; everyone else gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Region
from accounts.selectors import broker_region
from marketplace.dashboard import selectors
from marketplace.dashboard.charts import charts_for, money_text
from marketplace.dashboard.exports import figure_csv as render_csv
from marketplace.dashboard.exports import figure_filename
from marketplace.dashboard.forms import DashboardFilterForm
from marketplace.dashboard.tables import Period
from marketplace.deals.selectors import region_contracts, registration_table
from marketplace.spreadsheets import FORMATS, table_response


@dataclass(frozen=True)
class Scope:
    """Whose figures a user may see: one region, or (``can_choose_region``) any."""

    region: str | None
    can_choose_region: bool


def _get_scope_for_user(request: HttpRequest) -> Scope:
    user = request.user
    if user.is_staff:
        return Scope(region=None, can_choose_region=True)
    region = broker_region(user)
    if region is None:
        raise PermissionDenied(_("Reports are for transfer-centre staff and moderators."))
    asked = request.GET.get("region", "")
    if asked and asked != region:
        raise PermissionDenied(
            _("Your centre's reports cover %(region)s only.") % {"region": Region(region).label}
        )
    return Scope(region=region, can_choose_region=False)


@dataclass(frozen=True)
class Filters:
    form: DashboardFilterForm
    region: str | None
    period: Period

    @property
    def query(self) -> str:
        """The filters in effect as a query string (invalid ones replaced by defaults)."""
        params = {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        if self.region and self.form.fields.get("region"):
            params["region"] = self.region
        return urlencode(params)

    @property
    def region_label(self) -> str:
        return Region(self.region).label if self.region else _("All regions")


def _filters(request: HttpRequest, scope: Scope) -> Filters:
    """The filters asked for; what is invalid falls back to its default (the form says)."""
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET, today=today, can_choose_region=scope.can_choose_region)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    region = (cleaned.get("region") or None) if scope.can_choose_region else scope.region
    period = cleaned.get("period")
    if period is None:
        period = Period.default(today)
    else:
        # The date inputs show the period in effect, defaults included.
        form.data = form.data.copy()
        form.data["from"], form.data["to"] = period.start.isoformat(), period.end.isoformat()
    return Filters(form, region, period)


def _headline(figures: dict[str, selectors.Figure]) -> list[tuple[str, object, str]]:
    """The totals at the top of the page, read from the figures' tables: (label, value,
    the exact value when the value is shortened)."""
    contracts = figures["contracts"].table
    yuan = contracts.total.cells[1]
    return [
        (_("Matches"), figures["matches"].table.total.cells[0], ""),
        (_("Expressions of interest"), figures["interests"].table.total.cells[0], ""),
        (_("Conversations"), figures["conversations"].table.total.cells[-1], ""),
        (_("Deals"), figures["deals"].table.total.cells[0], ""),
        (_("Contracts signed"), contracts.total.cells[0], ""),
        (contracts.columns[2], money_text(yuan), f"{yuan:,.2f}"),
    ]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = _get_scope_for_user(request)
    filters = _filters(request, scope)
    figures = {f.key: f for f in selectors.dashboard_figures(filters.region, filters.period)}
    return render(
        request,
        "dashboard/overview.html",
        {
            "filters": filters,
            "form": filters.form,
            "headline": _headline(figures),
            "figures": [(figure, charts_for(figure)) for figure in figures.values()],
        },
    )


@login_required
def figure_csv(request: HttpRequest, figure: str) -> HttpResponse:
    scope = _get_scope_for_user(request)
    if figure not in selectors.FIGURES:
        raise Http404
    filters = _filters(request, scope)
    if not filters.form.is_valid():
        errors = [e for errors in filters.form.errors.values() for e in errors]
        return HttpResponseBadRequest(
            "\n".join(errors) + "\n", content_type="text/plain; charset=utf-8"
        )
    result = selectors.FIGURES[figure](filters.region, filters.period)
    response = HttpResponse(render_csv(result), content_type="text/csv; charset=utf-8")
    filename = figure_filename(result, filters.region, filters.period)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def contracts_registration(request: HttpRequest, fmt: str) -> HttpResponse:
    """The region's contracts signed in the period in the registration layout of technology
    contracts (技术合同认定登记), one row per contract, for the centre to file or report."""
    scope = _get_scope_for_user(request)
    if fmt not in FORMATS:
        raise Http404
    filters = _filters(request, scope)
    if not filters.form.is_valid():
        errors = [e for errors in filters.form.errors.values() for e in errors]
        return HttpResponseBadRequest(
            "\n".join(errors) + "\n", content_type="text/plain; charset=utf-8"
        )
    period = filters.period
    contracts = region_contracts(filters.region, period.start, period.end)
    headers, rows = registration_table(contracts)
    filename = (
        f"keqiao-contract-registration-{filters.region or 'all-regions'}-"
        f"{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
    )
    return table_response(headers, rows, fmt=fmt, filename=filename)
