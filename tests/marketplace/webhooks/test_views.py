"""The webhook pages: owners manage, members read, everyone else is kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_the_permission_matrix_of_the_pages(client_for, endpoint, people, uni_colleague):
    list_url = reverse("webhooks:list")
    detail_url = endpoint.get_absolute_url()
    expected = {
        "visitor": (302, 302),
        "owner": (200, 200),
        "member": (200, 200),
        "other_org": (200, 404),
        "outsider": (403, 403),
        "moderator": (403, 403),
    }
    who = {**people, "member": uni_colleague}
    for name, (list_status, detail_status) in expected.items():
        client = client_for(who[name])
        assert client.get(list_url).status_code == list_status, name
        assert client.get(detail_url).status_code == detail_status, name


@pytest.mark.parametrize("action", ["test", "enable", "disable", "secret", "delete"])
def test_only_owners_act_on_an_endpoint(client_for, endpoint, uni_colleague, ent_user, action):
    url = reverse(f"webhooks:{action}", args=[endpoint.pk])
    assert client_for(uni_colleague).post(url).status_code == 403
    assert client_for(ent_user).post(url).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.is_active and not endpoint.deliveries.exists()


def test_a_member_sees_the_page_without_the_owner_controls(client_for, endpoint, uni_colleague):
    page = client_for(uni_colleague).get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.url in page
    assert "Send test event" not in page and endpoint.secret not in page
    post = client_for(uni_colleague).post(
        reverse("webhooks:list"), {"url": "https://93.184.216.34/h", "events": ["match.created"]}
    )
    assert post.status_code == 403
    edit = client_for(uni_colleague).post(
        endpoint.get_absolute_url(), {"url": "https://93.184.216.34/h", "events": ["match.created"]}
    )
    assert edit.status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.url != "https://93.184.216.34/h"


def test_an_owner_adds_an_endpoint_and_sees_its_secret_once(client_for, uni_user, receiver):
    client = client_for(uni_user)
    answer = client.post(
        reverse("webhooks:list"),
        {
            "url": receiver.url,
            "description": "CRM",
            "events": ["match.created", "deal.stage_changed"],
        },
    )
    assert answer.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in answer.content.decode()
    assert endpoint.events == ["deal.stage_changed", "match.created"]
    assert endpoint.secret not in client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in client.get(reverse("webhooks:list")).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"url": "http://93.184.216.34/h", "events": ["match.created"]},
        {"url": "https://127.0.0.1/h", "events": ["match.created"]},
        {"url": "https://93.184.216.34/h", "events": ["nope"]},
        {"url": "https://93.184.216.34/h"},
        {"url": "", "events": ["match.created"]},
    ],
)
def test_bad_input_is_a_400_that_saves_nothing(client_for, uni_user, settings, data):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    answer = client_for(uni_user).post(reverse("webhooks:list"), data)
    assert answer.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_an_owner_edits_tests_switches_off_and_on_and_deletes(
    client_for, uni_user, endpoint, receiver, django_capture_on_commit_callbacks
):
    client = client_for(uni_user)
    url = endpoint.get_absolute_url()
    answer = client.post(url, {"url": receiver.url + "/v2", "events": ["interest.received"]})
    assert answer.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("/v2") and endpoint.events == ["interest.received"]
    assert client.post(url, {"url": "ftp://x", "events": ["interest.received"]}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:test", args=[endpoint.pk]))
    assert [r["headers"]["X-Keqiao-Event"] for r in receiver.requests] == ["webhook.test"]
    page = client.get(url).content.decode()
    assert "webhook.test" in page and "200" in page  # the attempt, on the page

    old_secret = endpoint.secret
    answer = client.post(reverse("webhooks:secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret and endpoint.secret in answer.content.decode()

    client.post(reverse("webhooks:disable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(reverse("webhooks:test", args=[endpoint.pk]))  # refused: it is off
    assert endpoint.deliveries.count() == 1
    client.post(reverse("webhooks:enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active

    assert client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_actions_answer_post_only(client_for, uni_user, endpoint):
    assert client_for(uni_user).get(reverse("webhooks:test", args=[endpoint.pk])).status_code == 405


def test_the_pages_speak_chinese(uni_user, endpoint):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(uni_user)
    assert "添加端点" in client.get(reverse("webhooks:list")).content.decode()
    assert "发送测试事件" in client.get(endpoint.get_absolute_url()).content.decode()


def test_admin_lists_endpoints_and_deliveries_without_the_secret(
    client_for, admin_user, endpoint, uni_user, django_capture_on_commit_callbacks
):
    from marketplace.webhooks import services

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_test_send(endpoint=endpoint, user=uni_user)
    client = client_for(admin_user)
    for url in (
        reverse("admin:webhooks_webhookendpoint_changelist"),
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        reverse("admin:webhooks_webhookdelivery_changelist"),
        reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]),
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert endpoint.secret not in answer.content.decode()
