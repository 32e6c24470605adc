"""Pages of imports and exports: upload a spreadsheet, follow its check, read the errors by
row and column, import; download templates and the organisation's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marketplace.bulk import services
from marketplace.bulk.columns import COLUMNS
from marketplace.bulk.exports import TABLES
from marketplace.bulk.forms import ImportConfirmForm, ImportForm
from marketplace.bulk.models import ImportBatch
from marketplace.bulk.templates import template_response
from marketplace.limits import rate_limited
from marketplace.listings.views import membership_for_listing_work as membership_for_work
from marketplace.pagination import paginate
from marketplace.refusals import Refused, refused_form
from marketplace.spreadsheets import FORMATS, table_response
from marketplace.uploads.limits import accepts_uploads


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
@rate_limited("upload")
@accepts_uploads(max_files=1, max_bytes="IMPORT_MAX_BYTES")
def import_list(request: HttpRequest) -> HttpResponse:
    organization = membership_for_work(request).organization
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                batch = services.import_start(
                    organization=organization,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                return redirect(batch)
    batches = ImportBatch.objects.filter(organization=organization).defer("rows", "errors")
    return render(
        request,
        "bulk/import_list.html",
        {"form": form, "page": paginate(request, batches, per_page=20), "kinds": COLUMNS},
        status=status,
    )


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    organization = membership_for_work(request).organization
    return get_object_or_404(ImportBatch, pk=pk, organization=organization)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    template = "bulk/includes/import_state.html" if request.htmx else "bulk/import_detail.html"
    return render(request, template, {"batch": batch, "confirm_form": ImportConfirmForm()})


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    try:
        services.import_confirm(
            batch=batch,
            user=request.user,
            submit_for_review=form.cleaned_data.get("submit_for_review", False),
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    return redirect(batch)


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in COLUMNS:
        raise Http404
    return template_response(kind, _format(fmt))


@login_required
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    organization = membership_for_work(request).organization
    if what not in TABLES:
        raise Http404
    headers, rows = TABLES[what](organization)
    filename = f"keqiao-{what}-{timezone.localdate():%Y%m%d}"
    return table_response(headers, rows, fmt=_format(fmt), filename=filename)
