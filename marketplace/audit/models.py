"""The audit entry: one recorded change, never altered afterwards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.audit.choices import AuditAction


class AppendOnly(Exception):
    """An audit entry was about to be changed or deleted: a programming error."""


class AuditEntryQuerySet(models.QuerySet):
    # The database refuses these too (migration 0002's trigger); failing here first gives a
    # clearer error than the database's.
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are append-only.")


class AuditEntry(models.Model):
    """Who did what to which object, when, with each changed field's value before and after.

    Append-only: a PostgreSQL trigger refuses every UPDATE and DELETE on the table
    (migration 0002), so not even code that bypasses the ORM can rewrite history. That is
    also why the actor and the target are kept as copies (``actor_repr``, ``target_repr``)
    and their links carry no database constraint: deleting a user or a content type must
    neither cascade into this table nor be blocked by it.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    # {field name: [value before, value after]}; None on the "before" side of an addition
    # and on the "after" side of a deletion; secrets (passwords, tokens) shown as hidden.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        # Nothing to grant but reading: no one adds, changes or deletes entries by hand.
        default_permissions = ("view",)
        indexes = [
            # The admin list, newest first.
            models.Index(fields=["-created_at"], name="audit_created_idx"),
            # One object's history (admin filter by type and search by id).
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # One person's actions.
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are append-only.")
