"""notify(): rows in the caller's transaction, email only after commit, each recipient's
language and preference, and one notification per recipient and event key."""

from __future__ import annotations

import pytest
from django.db import transaction

from marketplace.notifications.choices import DeliveryStatus, Frequency, NotificationKind
from marketplace.notifications.models import Delivery, Notification, Preference
from marketplace.notifications.services import email_send, email_send_secret, notify
from marketplace.notifications.services.notify import _insert_once
from tests import factories
from tests.marketplace.notifications.support import tell

pytestmark = pytest.mark.django_db


def test_rows_are_written_in_the_callers_transaction_and_mail_leaves_after_commit(
    uni_user, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        told = tell([uni_user, ent_user], title="EUV resist", link="/achievements/7/")
        assert {n.recipient for n in told} == {uni_user, ent_user}
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([uni_user.email, ent_user.email])
    assert all(m.subject == "Event: EUV resist" for m in mailoutbox)
    assert all("EUV resist happened." in m.body for m in mailoutbox)
    # Each email points to where the recipient can choose how often to hear of this.
    assert all("/notifications/preferences/" in m.body for m in mailoutbox)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    notification = Notification.objects.get(recipient=uni_user)
    assert notification.link == "/achievements/7/"
    assert notification.kind == NotificationKind.MATCH_FOUND
    assert notification.delivery.key == f"notification:{notification.pk}"
    assert notification.read_at is None


def test_a_rolled_back_event_notifies_nobody(
    uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([uni_user])
        raise RuntimeError("the decision failed")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("frequency", "emails_now", "has_delivery"),
    [
        (Frequency.IMMEDIATELY, 1, True),
        (Frequency.DAILY, 0, False),
        (Frequency.WEEKLY, 0, False),
        (Frequency.OFF, 0, False),
    ],
)
def test_each_users_preference_for_the_kind_decides_the_email(
    frequency, emails_now, has_delivery, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=uni_user, kind=NotificationKind.MATCH_FOUND, frequency=frequency)
    # A choice for another kind changes nothing for this one.
    Preference.objects.create(user=uni_user, kind=NotificationKind.MODERATION, frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell([uni_user], kind=NotificationKind.MATCH_FOUND)
    assert notification.frequency == frequency
    assert (notification.delivery_id is not None) is has_delivery
    assert len(mailoutbox) == emails_now
    # In-app, every notification is there whatever the email choice.
    assert Notification.objects.filter(recipient=uni_user).count() == 1


def test_preferences_are_per_user(
    uni_user, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=ent_user, kind=NotificationKind.MATCH_FOUND, frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        tell([uni_user, ent_user])
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert Notification.objects.count() == 2


def test_each_recipient_reads_it_in_their_own_language(
    university, mailoutbox, django_capture_on_commit_callbacks
):
    zh = factories.make_user(org=university, language="zh-hans", email="zh@zju.example")
    en = factories.make_user(org=university, language="en", email="en@zju.example")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[zh, en],
            kind=NotificationKind.ORGANIZATION,
            template="membership_approved",
            context={"organization": university},
            link="/accounts/organization/",
        )
    subjects = {n.recipient.email: n.subject for n in Notification.objects.all()}
    assert subjects == {
        "zh@zju.example": "您已成为科桥上浙江大学的成员",
        "en@zju.example": "You are now a member of 浙江大学 on Keqiao",
    }
    assert {m.to[0]: m.subject for m in mailoutbox} == subjects


def test_the_same_event_key_notifies_each_user_once(
    uni_user, uni_colleague, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(tell([uni_user, ent_user], key="match:1")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        # Handled again (a retried task), now with one more person to tell.
        again = tell([uni_user, ent_user, uni_colleague], key="match:1")
    assert [n.recipient for n in again] == [uni_colleague]
    assert Notification.objects.filter(key="match:1").count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [uni_user.email, ent_user.email, uni_colleague.email]
    )
    # Without a key, every call is a new notification.
    tell([uni_user])
    tell([uni_user])
    assert Notification.objects.filter(recipient=uni_user, key="").count() == 2


def test_a_concurrent_twin_of_the_event_loses_quietly(uni_user, ent_user):
    """Two transactions notifying of the same event: the unique (recipient, key) decides and
    the second insert of that pair is left out instead of failing the caller."""
    Notification.objects.create(
        recipient=uni_user, kind="match_found", key="match:2", subject="s", body="b"
    )
    rows = [
        Notification(recipient=u, kind="match_found", key="match:2", subject="s", body="b")
        for u in (uni_user, ent_user)
    ]
    with transaction.atomic():
        inserted = _insert_once(rows)
    assert [n.recipient for n in inserted] == [ent_user]
    assert Notification.objects.filter(key="match:2").count() == 2


def test_inactive_and_duplicate_users_are_told_once_or_not_at_all(uni_user, ent_user):
    ent_user.is_active = False
    ent_user.save()
    assert [n.recipient for n in tell([uni_user, uni_user, ent_user])] == [uni_user]


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"]
)
def test_a_link_must_be_a_path_on_this_site(uni_user, link):
    with pytest.raises(ValueError, match="path on this site"):
        tell([uni_user], link=link)
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_a_bug(uni_user):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        tell([uni_user], kind="gossip")


def test_email_to_an_address_without_account_is_a_delivery_too(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = email_send(
            to="new.person@example.org",
            language="en",
            template="test_event",
            context={"title": "Join us", "recipient": {"full_name": "friend"}},
        )
    delivery.refresh_from_db()
    assert delivery.recipient is None
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.key.startswith("email:test_event:")
    assert [m.to for m in mailoutbox] == [["new.person@example.org"]]


def test_secret_emails_are_sent_but_never_stored(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send_secret(
            to="someone@example.org",
            language="en",
            template="test_event",
            context={"title": "Reset link", "recipient": {"full_name": "x"}},
        )
    assert [m.to for m in mailoutbox] == [["someone@example.org"]]
    assert not Delivery.objects.exists()
