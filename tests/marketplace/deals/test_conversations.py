"""Messages, files, unread counts, the inbox and its cost, and who is told of a message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.selectors import active_membership
from marketplace.deals import selectors, services
from marketplace.deals.models import Conversation, Message, MessageAttachment
from marketplace.notifications.models import Delivery, Notification, Preference
from tests import factories
from tests.support.queries import assert_constant_queries, count_queries

from .conftest import express

pytestmark = pytest.mark.django_db


def _pdf(name="spec.pdf", content=b"%PDF-1.4 x"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_message_tells_each_member_of_the_other_side_once_by_email_too(
    conversation, ent_user, uni_user, uni_colleague, enterprise
):
    ent_colleague = factories.make_user(org=enterprise, role="member")
    message = services.message_send(conversation=conversation, user=ent_user, body="你好 Hello")
    told = Notification.objects.filter(key=f"message:{message.pk}")
    assert sorted(n.recipient.email for n in told) == sorted([uni_user.email, uni_colleague.email])
    assert ent_colleague.pk not in {n.recipient_id for n in told}
    assert all(n.kind == "message" and n.link == conversation.get_absolute_url() for n in told)
    assert "你好 Hello" in told.first().body
    assert Delivery.objects.filter(key__in=[f"notification:{n.pk}" for n in told]).count() == 2


def test_digest_preferences_are_applied_by_notify(conversation, ent_user, uni_user):
    Preference.objects.create(user=uni_user, kind="message", frequency="daily")
    message = services.message_send(conversation=conversation, user=ent_user, body="Hi")
    notification = Notification.objects.get(key=f"message:{message.pk}", recipient=uni_user)
    assert notification.frequency == "daily"
    # A daily digest: no email of its own now (the digest task writes one later).
    assert not Delivery.objects.filter(key=f"notification:{notification.pk}").exists()


def test_a_message_moves_the_conversation_to_the_top(achievement, challenge, ent_user, uni_user):
    first = services.interest_accept(interest=express(achievement, ent_user), user=uni_user)
    second = services.interest_accept(interest=express(challenge, ent_user), user=uni_user)
    organization = uni_user.membership.organization
    assert [c.pk for c in selectors.conversations_of(organization, uni_user)] == [
        second.pk,
        first.pk,
    ]
    services.message_send(conversation=first, user=ent_user, body="Bump")
    assert [c.pk for c in selectors.conversations_of(organization, uni_user)] == [
        first.pk,
        second.pk,
    ]


def test_unread_counts_per_user_until_they_open_the_conversation(
    conversation, ent_user, uni_user, uni_colleague, client_for
):
    org = uni_user.membership.organization
    for body in ("One", "Two"):
        services.message_send(conversation=conversation, user=ent_user, body=body)
    services.message_send(conversation=conversation, user=uni_colleague, body="Mine")
    assert selectors.unread_conversation_count(uni_user) == 1
    assert selectors.conversations_of(org, uni_user).get().unread == 3
    # The colleague wrote last, which marks it read for them up to their own message.
    assert selectors.conversations_of(org, uni_colleague).get().unread == 0
    assert selectors.unread_conversation_count(uni_colleague) == 0
    # The sender's own messages are never unread to them.
    assert selectors.unread_conversation_count(ent_user) == 1  # the colleague's reply

    page = client_for(uni_user).get(conversation.get_absolute_url())
    assert len(page.context["unread_ids"]) == 3
    assert selectors.unread_conversation_count(uni_user) == 0
    assert selectors.conversations_of(org, uni_user).get().unread == 0


def test_the_navbar_badge_shows_unread_conversations(conversation, ent_user, uni_user, client_for):
    client = client_for(uni_user)
    assert b'data-testid="conversation-count"' not in client.get(reverse("home")).content
    services.message_send(conversation=conversation, user=ent_user, body="Ping")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="conversation-count">1<' in html


def test_the_badge_is_one_query(conversation, ent_user, uni_user):
    services.message_send(conversation=conversation, user=ent_user, body="Ping")
    active_membership(uni_user)
    badge = count_queries(lambda: selectors.unread_conversation_count(uni_user))
    assert (badge.result, badge.queries) == (1, 1)


def _conversations(n, university, uni_user):
    for _ in range(n):
        org = factories.make_org(kind="enterprise")
        sender = factories.make_user(org=org)
        conversation = services.interest_accept(
            interest=express(factories.make_achievement(university), sender), user=uni_user
        )
        services.message_send(conversation=conversation, user=sender, body="Hello")


@pytest.mark.parametrize("query", ["", "?stage=contacted", "?stage=bogus&page=2"])
def test_inbox_queries_do_not_grow_with_conversations(query, university, uni_user, client_for):
    client = client_for(uni_user)
    url = reverse("deals:conversation_list") + query
    inbox = assert_constant_queries(
        lambda n: _conversations(n, university, uni_user), lambda: client.get(url), few=2, many=8
    )
    assert len(inbox.few.context["page"].object_list) == 2
    listed = inbox.many.context["page"].object_list
    assert len(listed) == 8 and all(c.unread == 1 for c in listed)


def test_conversation_page_queries_do_not_grow_with_messages(
    conversation, ent_user, uni_user, client_for
):
    client = client_for(uni_user)

    def send(n: int) -> None:
        for i in range(n):
            services.message_send(
                conversation=conversation, user=ent_user, body=f"m{i}", files=[_pdf(f"{i}.pdf")]
            )

    # Warmed: the first visit after new messages marks them (and their notifications) read.
    page = assert_constant_queries(send, lambda: client.get(conversation.get_absolute_url()))
    assert len(page.many.context["thread"]) == 12


# --- The message form ---------------------------------------------------------------------------


def _post(client, conversation, **data):
    return client.post(reverse("deals:message_send", args=[conversation.pk]), data)


def test_files_are_stored_and_downloadable(conversation, ent_user, client_for):
    client = client_for(ent_user)
    response = _post(client, conversation, body="Two files", files=[_pdf("a.pdf"), _pdf("b.pdf")])
    assert response.status_code == 302
    message = Message.objects.get(body="Two files")
    assert sorted(a.filename for a in message.attachments.all()) == ["a.pdf", "b.pdf"]
    assert all(a.size == len(b"%PDF-1.4 x") for a in message.attachments.all())


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": "   "}, "Write a message or attach a file"),
        ({"body": "x", "files": [_pdf("evil.exe")]}, "not accepted"),
        ({"body": "x", "files": [_pdf("empty.pdf", b"")]}, "empty"),
        ({"body": "x", "files": [_pdf(f"{i}.pdf") for i in range(6)]}, "at most 5"),
        ({"body": "x" * 10001}, "at most 10000"),
    ],
)
def test_bad_messages_are_form_errors_and_change_nothing(
    data, error, conversation, ent_user, client_for
):
    response = _post(client_for(ent_user), conversation, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()
    assert not Notification.objects.filter(kind="message").exists()


def test_a_too_large_file_is_refused(conversation, ent_user, client_for, settings):
    settings.ATTACHMENT_MAX_BYTES = 5
    response = _post(client_for(ent_user), conversation, body="x", files=[_pdf()])
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Message.objects.exists()


def test_a_message_body_is_escaped(conversation, ent_user, uni_user, client_for):
    services.message_send(conversation=conversation, user=ent_user, body="<script>x()</script>")
    html = client_for(uni_user).get(conversation.get_absolute_url()).content.decode()
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_conversation_opens_with_the_interest(conversation, uni_user, client_for):
    html = client_for(uni_user).get(conversation.get_absolute_url()).content.decode()
    assert "We would like a licence" in html
    assert Conversation.objects.get().last_message_at is not None
