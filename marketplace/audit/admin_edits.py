"""Every Django admin edit in the audit log: additions, changes (inlines and many-to-many
fields such as a user's groups and permissions included), deletions and admin actions.

``AuditedAdminSite`` mixes ``AuditedModelAdminMixin`` into every ModelAdmin it registers.
It hooks the points Django's own admin history (``LogEntry``) uses, which every admin
path goes through: the change form, the inline formsets, list-editable rows, the
password form, the delete page and the bulk delete action. Values are read from the
database before and after, not from the form, so what is recorded is what was stored.
Admin actions are diffed object by object; where the action called a service that
recorded its own decision (publishing, verifying), that entry stands alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.audit.choices import AuditAction
from marketplace.audit.services import audit_collect, audit_key, audit_record
from marketplace.audit.values import Snapshot, added, diff, removed, snapshots

_UNKNOWN_BEFORE = _("The values before this change were not captured.")


def _befores(request: HttpRequest) -> dict[tuple[str, str], Snapshot]:
    # Kept on the request: the snapshot taken when the object is loaded is read when
    # Django logs the change, later in the same request.
    return request.__dict__.setdefault("_audit_befores", {})


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label, str(obj.pk)


def _audited_action(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    @wraps(func)
    def run(modeladmin: Any, request: HttpRequest, queryset: models.QuerySet) -> Any:
        model = queryset.model
        # Plain rows by primary key: the admin's queryset may defer or annotate.
        before = snapshots(model, queryset.values_list("pk", flat=True))
        objects = {obj.pk: obj for obj in model._base_manager.filter(pk__in=list(before))}
        with audit_collect() as recorded:
            try:
                return func(modeladmin, request, queryset)
            finally:
                # Even when the action fails half-way: what it changed before is committed
                # (actions are not one transaction; each service call is its own).
                after = snapshots(model, before)
                for pk, values in before.items():
                    obj = objects.get(pk)
                    if obj is None or audit_key(obj) in recorded:
                        continue
                    changes = diff(values, after[pk]) if pk in after else removed(values)
                    if changes:
                        audit_record(
                            actor=request.user,
                            action=AuditAction.ADMIN_ACTION,
                            target=obj,
                            changes=changes,
                            note=name,
                        )

    return run


class AuditedModelAdminMixin:
    """Record each admin edit with its values before and after (see the module's doc)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            _befores(request)[_key(obj)] = snapshots(type(obj), [obj.pk]).get(obj.pk, {})
        return obj

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        if change and _key(obj) not in _befores(request):
            # A list-editable row: the form has already written into ``obj``; read the
            # database's values before they are saved over.
            _befores(request)[_key(obj)] = snapshots(type(obj), [obj.pk]).get(obj.pk, {})
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        model = formset.model
        touched = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        before = snapshots(model, [pk for pk in touched if pk is not None])
        for deleted_form in formset.deleted_forms:
            obj = deleted_form.instance
            if obj.pk in before:
                # Before the row goes, as Django logs deletions.
                audit_record(
                    actor=request.user,
                    action=AuditAction.ADMIN_DELETE,
                    target=obj,
                    changes=removed(before[obj.pk]),
                )
        super().save_formset(request, form, formset, change)
        changed = [obj for obj, _fields in formset.changed_objects]
        after = snapshots(model, [obj.pk for obj in [*formset.new_objects, *changed]])
        for obj in formset.new_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_ADD,
                target=obj,
                changes=added(after.get(obj.pk, {})),
            )
        for obj in changed:
            changes = diff(before.get(obj.pk, {}), after.get(obj.pk, {}))
            if changes:
                audit_record(
                    actor=request.user,
                    action=AuditAction.ADMIN_CHANGE,
                    target=obj,
                    changes=changes,
                )

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        values = snapshots(type(obj), [obj.pk]).get(obj.pk, {})
        audit_record(
            actor=request.user, action=AuditAction.ADMIN_ADD, target=obj, changes=added(values)
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        before = _befores(request).pop(_key(obj), None)
        after = snapshots(type(obj), [obj.pk]).get(obj.pk, {})
        if before is None:
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGE,
                target=obj,
                note=str(_UNKNOWN_BEFORE),
            )
        elif changes := diff(before, after):
            audit_record(
                actor=request.user, action=AuditAction.ADMIN_CHANGE, target=obj, changes=changes
            )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]) -> Any:
        objects = list(queryset)
        if objects:
            before = snapshots(type(objects[0]), [obj.pk for obj in objects])
            for obj in objects:
                audit_record(
                    actor=request.user,
                    action=AuditAction.ADMIN_DELETE,
                    target=obj,
                    changes=removed(before.get(obj.pk, {})),
                )
        return super().log_deletions(request, queryset)

    def get_actions(self, request: HttpRequest) -> dict[str, tuple[Callable, str, str]]:
        return {
            name: (_audited_action(func, name), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }


def audited(admin_class: type) -> type:
    """``admin_class`` with the audit mixin (itself if it already has it)."""
    if issubclass(admin_class, AuditedModelAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedModelAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )
