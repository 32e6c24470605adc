"""Sending a delivery: claimed with a conditional update, so a duplicate message, a second
worker or the relay never sends it twice; failures are retried with backoff, then marked
failed, visible in admin and sent again from there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications import tasks
from marketplace.notifications.choices import DeliveryStatus
from marketplace.notifications.models import Delivery
from marketplace.notifications.services import (
    DeliveryRetry,
    _message_id,
    deliveries_abandoned_fail,
    deliveries_due,
    deliveries_resend,
    delivery_send,
    retry_delay,
)
from marketplace.outbox.tasks import relay
from tests.marketplace.notifications.support import REFUSING_BACKEND, RefusingBackend, tell
from tests.marketplace.outbox.support import in_process_retries

pytestmark = pytest.mark.django_db


def _delivery(**kw) -> Delivery:
    data = {"key": "notification:1", "to": "a@example.org", "subject": "Hi", "body": "Body"}
    return Delivery.objects.create(**{**data, **kw})


def _ago(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 30
    RefusingBackend.tries = 0
    return RefusingBackend


def test_a_pending_delivery_is_sent_once(mailoutbox):
    delivery = _delivery()
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    # The duplicate message (a retry, the relay, a second worker) finds nothing to do.
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert tasks.delivery_send.delay(delivery.pk).get() == "skipped"
    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == ("sent", 1, None)
    assert delivery.sent_at is not None
    assert mailoutbox[0].extra_headers["Message-ID"] == _message_id(delivery)


def test_a_delivery_another_worker_holds_is_left_alone(mailoutbox):
    delivery = _delivery(claimed_until=timezone.now() + timedelta(seconds=60), attempts=1)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_an_expired_claim_is_taken_over(mailoutbox):
    """The worker holding it died; once its claim runs out another one sends it."""
    delivery = _delivery(claimed_until=_ago(1), attempts=1)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("status", [DeliveryStatus.SENT, DeliveryStatus.FAILED])
def test_finished_deliveries_are_never_sent_again_by_a_message(status, mailoutbox):
    sent_at = timezone.now() if status == DeliveryStatus.SENT else None
    delivery = _delivery(status=status, sent_at=sent_at, attempts=1)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mailoutbox == []


def test_a_refused_send_is_retried_with_backoff_then_marked_failed(refusing):
    delivery = _delivery()
    with pytest.raises(DeliveryRetry) as first:
        delivery_send(delivery_id=delivery.pk)
    assert first.value.countdown == 30
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    # Held until its retry is due: an earlier message (the relay) does not try it sooner.
    assert delivery.claimed_until > timezone.now() + timedelta(seconds=25)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert deliveries_due(older_than_seconds=0) == []

    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=_ago(1))  # the retry is due
    with pytest.raises(DeliveryRetry) as second:
        delivery_send(delivery_id=delivery.pk)
    assert second.value.countdown == 60

    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=_ago(1))
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == ("failed", 3, None)
    assert refusing.tries == 3
    # Failed is final for messages; only a person sends it again (admin).
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert refusing.tries == 3


def test_in_process_a_failed_send_waits_for_the_relay(refusing):
    """Eager tasks cannot schedule a retry for later; the relay tries it again."""
    delivery = _delivery()
    assert tasks.delivery_send.delay(delivery.pk).get() == "held"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1


def test_backoff_doubles_up_to_an_hour(settings):
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 30
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20) == 3600


def test_the_relay_picks_old_pending_unclaimed_deliveries_only(settings, mailoutbox):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    # One email per send, so that what goes out is exactly what the relay queued (a batch
    # would also take the fresh one: see the batch tests below).
    settings.NOTIFY_SEND_BATCH = 1
    lost = _delivery(key="lost", created_at=_ago(300))
    expired = _delivery(key="expired", created_at=_ago(300), claimed_until=_ago(5), attempts=1)
    _delivery(key="fresh")  # its own message is on the way
    _delivery(key="held", created_at=_ago(300), claimed_until=timezone.now() + timedelta(60))
    _delivery(key="sent", created_at=_ago(300), status="sent", sent_at=timezone.now())
    _delivery(key="failed", created_at=_ago(300), status="failed")
    last_try_died = _delivery(
        key="gave-up", created_at=_ago(300), claimed_until=_ago(5), attempts=3
    )

    assert deliveries_due() == [lost.pk, expired.pk]
    assert relay.delay(["delivery"]).get() == 2  # eager: the sends run at once
    assert sorted(m.subject for m in mailoutbox) == ["Hi", "Hi"]
    assert deliveries_due() == []
    last_try_died.refresh_from_db()
    assert last_try_died.status == DeliveryStatus.FAILED
    assert "stopped before it finished" in last_try_died.last_error
    assert deliveries_abandoned_fail() == 0


# --- batches: one claim and one SMTP connection for many emails ------------------------------


def test_a_send_takes_other_due_deliveries_in_its_batch_and_their_messages_skip(
    settings, mailoutbox
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    own = _delivery(key="own")
    fresh = [_delivery(key=f"fresh{i}") for i in range(3)]
    expired = _delivery(key="expired", claimed_until=_ago(5), attempts=1)
    held = _delivery(key="held", claimed_until=timezone.now() + timedelta(seconds=60), attempts=1)
    gave_up = _delivery(key="gave-up", claimed_until=_ago(5), attempts=3)
    done = _delivery(key="sent", status="sent", sent_at=timezone.now(), attempts=1)

    assert delivery_send(delivery_id=own.pk, batch=10) == "sent"
    taken = {own.pk, expired.pk, *(d.pk for d in fresh)}
    assert sorted(m.extra_headers["Message-ID"] for m in mailoutbox) == sorted(
        _message_id(d) for d in Delivery.objects.filter(pk__in=taken)
    )
    assert set(Delivery.objects.filter(status="sent").values_list("pk", flat=True)) == {
        *taken,
        done.pk,
    }
    # Held by another worker (or for its backoff), out of attempts: left alone.
    for untouched, attempts in [(held, 1), (gave_up, 3)]:
        untouched.refresh_from_db()
        assert (untouched.status, untouched.attempts) == ("pending", attempts)
    # The messages of the ones the batch took find nothing to do.
    assert [delivery_send(delivery_id=d.pk, batch=10) for d in fresh] == ["skipped"] * 3
    assert len(mailoutbox) == 5
    assert set(Delivery.objects.filter(pk__in=taken).values_list("attempts", flat=True)) == {
        1,
        2,
    }


def test_a_batch_is_limited_to_its_size_oldest_first(mailoutbox):
    older = [_delivery(key=f"old{i}", created_at=_ago(100 - i)) for i in range(5)]
    own = _delivery(key="own")
    assert delivery_send(delivery_id=own.pk, batch=3) == "sent"
    sent = set(Delivery.objects.filter(status="sent").values_list("pk", flat=True))
    assert sent == {own.pk, older[0].pk, older[1].pk}
    assert len(mailoutbox) == 3


def test_a_batch_uses_one_connection_to_the_mail_server(settings, monkeypatch):
    from django.core.mail.backends.smtp import EmailBackend

    sessions: list[list[str]] = []

    class FakeSMTP:
        """What smtplib would be: records the messages of each connection."""

        def __init__(self, *args, **kwargs) -> None:
            sessions.append([])

        def sendmail(self, from_addr, to_addrs, msg) -> dict:
            sessions[-1].append(to_addrs[0])
            return {}

        def quit(self) -> None:
            pass

        close = quit

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = False  # a plain local relay: the fake has no STARTTLS
    monkeypatch.setattr(EmailBackend, "connection_class", property(lambda self: FakeSMTP))
    first = _delivery(key="a", to="a@example.org")
    _delivery(key="b", to="b@example.org")
    _delivery(key="c", to="c@example.org")
    assert delivery_send(delivery_id=first.pk) == "sent"
    assert Delivery.objects.filter(status="sent").count() == 3
    assert sessions == [["a@example.org", "b@example.org", "c@example.org"]]


def test_a_refusal_mid_batch_holds_the_failed_one_and_gives_the_rest_back_untried(refusing):
    first = _delivery(key="a", created_at=_ago(10))
    rest = [_delivery(key="b", created_at=_ago(5)), _delivery(key="c")]
    with pytest.raises(DeliveryRetry) as retry:
        delivery_send(delivery_id=rest[0].pk)
    assert retry.value.countdown == 30
    assert refusing.tries == 1  # the rest were not tried against a refusing server
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in first.last_error
    for untried in rest:
        untried.refresh_from_db()
        # No attempt spent, held as long as the failed one, no error of its own.
        assert (untried.status, untried.attempts, untried.last_error) == ("pending", 0, "")
        assert untried.claimed_until >= first.claimed_until
    assert deliveries_due(older_than_seconds=0) == []


def test_resend_puts_failed_deliveries_back_with_fresh_attempts(
    mailoutbox, django_capture_on_commit_callbacks
):
    failed = _delivery(key="f", status="failed", attempts=5, last_error="SMTPException: no")
    sent = _delivery(key="s", status="sent", sent_at=timezone.now(), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_resend(delivery_ids=[failed.pk, sent.pk]) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert len(mailoutbox) == 1


# --- admin -----------------------------------------------------------------------------------


def test_failed_deliveries_are_visible_in_admin_and_can_be_sent_again(
    admin_user, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    failed = _delivery(
        key="notification:99", status="failed", attempts=5, last_error="SMTPException: 550"
    )
    _delivery(key="notification:100", status="sent", sent_at=timezone.now(), attempts=1)
    client = client_for(admin_user)
    url = reverse("admin:notifications_delivery_changelist")

    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [failed]
    assert b"SMTPException: 550" in page.content
    assert (
        client.get(reverse("admin:notifications_delivery_change", args=[failed.pk])).status_code
        == 200
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
        )
    assert "1 delivery queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1


def test_staff_without_the_change_permission_cannot_resend(moderator, client_for):
    from django.contrib.auth.models import Permission

    moderator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="notifications", codename="view_delivery")
    )
    failed = _delivery(status="failed", attempts=5)
    url = reverse("admin:notifications_delivery_changelist")
    client = client_for(moderator)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "resend", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def test_the_notification_admin_lists_and_filters(admin_user, client_for, uni_user):
    from marketplace.notifications.models import Notification

    read = Notification.objects.create(
        recipient=uni_user, kind="moderation", subject="Read one", body="b", read_at=timezone.now()
    )
    unread = Notification.objects.create(
        recipient=uni_user, kind="match_found", subject="Unread one", body="b"
    )
    client = client_for(admin_user)
    url = reverse("admin:notifications_notification_changelist")
    assert list(client.get(url, {"read": "no"}).context["cl"].result_list) == [unread]
    assert list(client.get(url, {"read": "yes"}).context["cl"].result_list) == [read]
    assert list(client.get(url, {"kind__exact": "moderation"}).context["cl"].result_list) == [read]
    assert client.get(reverse("admin:notifications_preference_changelist")).status_code == 200


# --- without a broker ------------------------------------------------------------------------


def test_in_process_a_failed_email_is_sent_again_when_its_retry_is_due(
    refusing, settings, monkeypatch, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    """Without a broker (make run) nothing can wait for later and beat does not run: the
    held retry is handed to the process's timer, which runs the relay when it is due."""
    timers = in_process_retries(settings, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell([uni_user], title="Refused at first")
    delivery = Delivery.objects.get(pk=notification.delivery_id)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    (timer,) = timers.waiting
    assert timer.delay == pytest.approx(30, abs=2)

    # Still refused when the timer runs: held again, for twice as long.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=_ago(1))
    timer.fire()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 2)
    (timer,) = timers.waiting
    assert timer.delay == pytest.approx(60, abs=2)

    # The mail server is back by the next run.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=_ago(1))
    timer.fire()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert [m.subject for m in mailoutbox] == ["Event: Refused at first"]
    assert timers.waiting == []  # nothing pending: the timer stops
