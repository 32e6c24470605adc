"""The admin site: Django's, with every registered ModelAdmin audited."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from marketplace.audit.admin_edits import audited
from marketplace.audit.services import audit_origin


class AuditedAdminSite(admin.AdminSite):
    """``admin.site`` (see ``apps.AuditedAdminConfig``).

    Registering mixes the audit into the ModelAdmin class, so no admin, not even one a
    third-party app registers, escapes the log; each admin view runs with the request's
    address and id at hand for the entries it (or a service it calls) records.
    """

    def register(self, model_or_iterable: Any, admin_class: type | None = None, **options: Any):
        return super().register(
            model_or_iterable, audited(admin_class or admin.ModelAdmin), **options
        )

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def with_origin(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with audit_origin(request):
                return inner(request, *args, **kwargs)

        return with_origin
