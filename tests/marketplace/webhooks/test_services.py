"""Sending webhooks through the outbox: signed, retried with backoff, recorded attempt by
attempt, delivered once, and endpoints switched off after failures in a row."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.notifications.models import Notification
from marketplace.outbox.tasks import relay
from marketplace.refusals import Refused
from marketplace.webhooks import services, tasks
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.signing import signature_verify

pytestmark = pytest.mark.django_db


def _due(delivery: WebhookDelivery) -> None:
    """The delivery's backoff has run out (instead of waiting for it)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )


def _announce(endpoint, key="match:1:achievement", event=WebhookEvent.MATCH_CREATED):
    return services.webhooks_announce(
        organization_id=endpoint.organization_id,
        event_type=event,
        key=key,
        data={"match": {"id": 1}},
    )


def test_a_delivery_is_signed_with_the_secret_shown_once(
    endpoint_and_secret, receiver, uni_user, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_and_secret
    assert secret.startswith("whsec_") and len(secret) > 40
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_test_send(endpoint=endpoint, user=uni_user)

    [request] = receiver.requests
    headers = request["headers"]
    assert signature_verify(secret, headers["X-Keqiao-Signature"], request["body"])
    assert not signature_verify("whsec_other", headers["X-Keqiao-Signature"], request["body"])
    assert headers["X-Keqiao-Event"] == "webhook.test"
    assert headers["X-Keqiao-Delivery"] == str(delivery.pk)
    body = json.loads(request["body"])
    assert body["id"] == str(delivery.event_id) and body["type"] == "webhook.test"
    assert body["created"] and body["data"]["message"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.succeeded, attempt.error) == (200, True, "")


def test_failures_are_retried_with_backoff_then_the_delivery_fails(endpoint, receiver):
    receiver.status = 500
    [delivery] = _announce(endpoint)

    with pytest.raises(services.WebhookRetry) as first:
        services.webhook_deliver(delivery_id=delivery.pk)
    assert first.value.countdown == 30
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_error == "HTTP 500"
    # Held until the retry is due: a duplicate message finds nothing to do.
    assert delivery.claimed_until > timezone.now() + timedelta(seconds=25)
    assert services.webhook_deliver(delivery_id=delivery.pk) == "skipped"

    _due(delivery)
    with pytest.raises(services.WebhookRetry) as second:
        services.webhook_deliver(delivery_id=delivery.pk)
    assert second.value.countdown == 60

    _due(delivery)
    assert services.webhook_deliver(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert len(receiver.requests) == 3
    codes = list(delivery.attempt_log.values_list("status_code", "succeeded"))
    assert codes == [(500, False)] * 3
    assert all(a.duration_ms >= 0 for a in delivery.attempt_log.all())


def test_in_process_a_failed_try_is_held_for_the_relay(endpoint, receiver):
    receiver.status = 503
    [delivery] = _announce(endpoint)
    assert tasks.webhook_deliver.delay(delivery.pk).get() == "held"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)


def test_a_receiver_down_then_up_gets_the_event_once(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.down()
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = _announce(endpoint)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "Connection refused" in delivery.last_error
    assert relay(["webhook"]) == 0  # held until its retry is due

    receiver.up()
    _due(delivery)
    assert relay(["webhook"]) == 1
    assert relay(["webhook"]) == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 1
    assert receiver.bodies()[0]["id"] == str(delivery.event_id)
    attempts = list(delivery.attempt_log.values_list("status_code", "succeeded"))
    assert attempts == [(None, False), (200, True)]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0  # a success starts the count again


def test_an_event_is_owed_once_and_only_to_subscribed_active_endpoints(
    endpoint, university, uni_user, receiver
):
    only_deals, _ = services.endpoint_create(
        organization=university,
        user=uni_user,
        url=receiver.url + "/deals",
        events=[WebhookEvent.DEAL_STAGE_CHANGED],
    )
    assert [d.endpoint for d in _announce(endpoint)] == [endpoint]
    assert _announce(endpoint) == []  # the same event again (a matching run twice)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert _announce(endpoint, key="match:2:achievement") == []
    assert WebhookDelivery.objects.count() == 1
    assert not only_deals.deliveries.exists()


def test_a_redirect_is_a_failure_not_followed(endpoint, receiver):
    receiver.status = 302
    [delivery] = _announce(endpoint)
    with pytest.raises(services.WebhookRetry):
        services.webhook_deliver(delivery_id=delivery.pk)
    assert WebhookAttempt.objects.get().status_code == 302
    assert len(receiver.requests) == 1


def test_a_private_address_is_checked_again_before_sending(endpoint, receiver, settings):
    [delivery] = _announce(endpoint)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(services.WebhookRetry):
        services.webhook_deliver(delivery_id=delivery.pk)
    assert receiver.requests == []
    assert "private" in WebhookAttempt.objects.get().error


def test_failures_in_a_row_switch_the_endpoint_off_and_tell_the_owners(
    endpoint,
    receiver,
    settings,
    uni_user,
    uni_colleague,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    receiver.status = 500
    first, second, third = (_announce(endpoint, key=f"match:{n}:achievement")[0] for n in (1, 2, 3))
    for delivery in (first, second):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(services.WebhookRetry),
        ):
            services.webhook_deliver(delivery_id=delivery.pk)

    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert "2 failed requests in a row" in endpoint.disabled_reason
    # The owners are told, once; the member who is not an owner is not.
    [notice] = Notification.objects.filter(kind="organization")
    assert notice.recipient == uni_user
    assert notice.link == endpoint.get_absolute_url()
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert endpoint.url in mailoutbox[0].body

    # What was still owed fails without a request; nothing new is owed.
    assert services.webhook_deliver(delivery_id=third.pk) == "skipped"
    third.refresh_from_db()
    assert third.status == "failed" and "switched off" in third.last_error
    assert len(receiver.requests) == 2
    assert _announce(endpoint, key="match:4:achievement") == []

    # An owner switches it on again: a clean count, and a test event goes through.
    receiver.status = 200
    services.endpoint_enable(endpoint=endpoint, user=uni_user)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_test_send(endpoint=endpoint, user=uni_user)
    assert receiver.bodies()[-1]["type"] == "webhook.test"
    # And a failed delivery may be sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delivery_resend(delivery=third, user=uni_user) == 1
    third.refresh_from_db()
    assert third.status == "delivered"


def test_only_owners_manage_endpoints(endpoint, uni_colleague, ent_user, receiver):
    with pytest.raises(Refused) as member:
        services.endpoint_test_send(endpoint=endpoint, user=uni_colleague)
    assert member.value.status == 403
    with pytest.raises(Refused) as other:
        services.endpoint_delete(endpoint=endpoint, user=ent_user)
    assert other.value.status == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


@pytest.mark.parametrize(
    "url", ["http://93.184.216.34/h", "https://10.0.0.1/h", "javascript:alert(1)", "x" * 600]
)
def test_a_bad_address_is_refused_and_nothing_is_saved(university, uni_user, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(Refused) as refused:
        services.endpoint_create(
            organization=university, user=uni_user, url=url, events=["match.created"]
        )
    assert refused.value.status == 400 and "url" in refused.value.fields
    assert not WebhookEndpoint.objects.exists()


def test_unknown_or_no_events_are_refused(university, uni_user, receiver):
    for events in ([], ["listing.deleted"]):
        with pytest.raises(Refused) as refused:
            services.endpoint_create(
                organization=university, user=uni_user, url=receiver.url, events=events
            )
        assert "events" in refused.value.fields
    assert not WebhookEndpoint.objects.exists()


def test_a_delivery_of_a_deleted_endpoint_is_skipped(endpoint, receiver, uni_user):
    [delivery] = _announce(endpoint)
    pk = delivery.pk
    services.endpoint_delete(endpoint=endpoint, user=uni_user)
    assert services.webhook_deliver(delivery_id=pk) == "skipped"
    assert receiver.requests == []


def test_the_request_goes_to_the_address_that_was_checked(
    university, uni_user, receiver, monkeypatch
):
    """The name is resolved once, for the check, and the connection is made to that address
    (a name that resolved elsewhere by then, DNS rebinding, would not get past the check)."""
    import socket

    real = socket.getaddrinfo
    looked_up: list[str] = []

    def resolver(host, *args, **kwargs):
        if host == "hooks.example":
            looked_up.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", receiver.port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    endpoint, _ = services.endpoint_create(
        organization=university,
        user=uni_user,
        url=f"http://hooks.example:{receiver.port}/hooks?org=1",
        events=["match.created"],
    )
    looked_up.clear()
    [delivery] = _announce(endpoint)
    assert services.webhook_deliver(delivery_id=delivery.pk) == "delivered"
    assert looked_up == ["hooks.example"]  # once, by the check; not again to connect
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hooks.example:{receiver.port}"
    assert request["path"] == "/hooks?org=1"
