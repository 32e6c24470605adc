"""The audit log is append-only in the database: no UPDATE or DELETE gets through, even as
raw SQL that bypasses the ORM."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from marketplace.audit.models import AppendOnly, AuditEntry
from marketplace.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(university, moderator):
    return audit_record(
        actor=moderator,
        action="organization.verify",
        target=university,
        changes={"is_verified": [False, True]},
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET note = 'rewritten'",
        "UPDATE audit_auditentry SET changes = '{}'::jsonb WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry",
        # Refused even when it would touch no row: the trigger is per statement.
        "DELETE FROM audit_auditentry WHERE false",
    ],
)
def test_raw_sql_cannot_change_or_delete_entries(entry, sql):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk] if "%s" in sql else None)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.note == "" and stored.changes == {"is_verified": [False, True]}


def test_the_orm_refuses_before_the_database_does(entry):
    entry.note = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_new_entries_can_still_be_added(entry, university, moderator):
    audit_record(actor=moderator, action="organization.unverify", target=university)
    assert AuditEntry.objects.count() == 2


def test_deleting_the_actor_leaves_the_entry(entry, moderator):
    moderator.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_repr == "moderator@keqiao.example"
