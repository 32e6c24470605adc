"""The moderation desk in Django admin, its actions: approving and rejecting in bulk or one
listing from its change page, taking down, and no adding, deleting or editing.

Status changes go through the lifecycle services: refusals are warnings that leave the
listing as it was.
"""

from __future__ import annotations

import pytest

from marketplace.listings.models import ListingEvent

from .support import _action, _make, _messages, _model, _status, _url

pytestmark = pytest.mark.django_db


# --- bulk approve ---------------------------------------------------------------------------


def test_bulk_approve_publishes_pending_through_the_service(
    kind,
    desk,
    client_for,
    university,
    uni_user,
    unverified_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    pending = _make(kind, university, status="pending", user=uni_user, title="Ready")
    published = _make(kind, university, status="published", title="Live already")
    unverified = _make(kind, unverified_org, status="pending", title="From New Co")
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(
            client_for(desk), kind, "publish_selected", [pending, published, unverified]
        )
    assert response.status_code == 302

    pending.refresh_from_db()
    assert pending.status == "published"
    assert pending.reviewed_by == desk
    assert pending.published_at is not None
    assert list(
        ListingEvent.objects.filter(**{kind: pending}).values_list(
            "from_status", "to_status", "actor"
        )
    ) == [("pending", "published", desk.pk)]
    assert [m.to for m in mailoutbox] == [[uni_user.email]]

    assert _status(published) == "published"
    assert _status(unverified) == "pending"
    assert not ListingEvent.objects.filter(**{f"{kind}__in": [published, unverified]}).exists()
    messages = _messages(response)
    assert any("1 listing published" in m for m in messages)
    assert any("Live already" in m and "left unchanged" in m for m in messages)
    assert any("From New Co" in m and "not verified" in m for m in messages)


# --- bulk reject ----------------------------------------------------------------------------


def test_reject_action_first_asks_for_the_reason(kind, desk, client_for, university):
    listings = [_make(kind, university, status="pending", title=f"Pending {n}") for n in (1, 2)]
    response = _action(client_for(desk), kind, "reject_selected", listings)
    assert response.status_code == 200
    assert "admin/listings/listing_reject.html" in [t.name for t in response.templates]
    assert sorted(x.pk for x in response.context["listings"]) == sorted(x.pk for x in listings)
    assert b'name="_confirm_reject"' in response.content
    assert b"Pending 1" in response.content and b"Pending 2" in response.content
    assert [_status(x) for x in listings] == ["pending", "pending"]


def _confirm_reject(client, kind, listings, reason):
    return client.post(
        _url(kind, "changelist"),
        {
            "action": "reject_selected",
            "_selected_action": [x.pk for x in listings],
            "_confirm_reject": "yes",
            "reason": reason,
        },
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_action_without_a_reason_changes_nothing(
    kind, reason, desk, client_for, university, mailoutbox, django_capture_on_commit_callbacks
):
    listings = [_make(kind, university, status="pending") for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm_reject(client_for(desk), kind, listings, reason)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert [_status(x) for x in listings] == ["pending", "pending"]
    assert not ListingEvent.objects.exists()
    assert mailoutbox == []


def test_reject_action_with_a_reason_rejects_all_selected_and_emails_owners(
    kind,
    desk,
    client_for,
    university,
    uni_user,
    enterprise,
    ent_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ours = _make(kind, university, status="pending", user=uni_user)
    theirs = _make(kind, enterprise, status="pending", user=ent_user)
    draft = _make(kind, university, status="draft", title="Still a draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm_reject(
            client_for(desk), kind, [ours, theirs, draft], "  Add evidence for the TRL.  "
        )
    assert response.status_code == 302
    for listing in (ours, theirs):
        listing.refresh_from_db()
        assert (listing.status, listing.rejection_reason, listing.reviewed_by) == (
            "rejected",
            "Add evidence for the TRL.",
            desk,
        )
    assert _status(draft) == "draft"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([uni_user.email, ent_user.email])
    assert all("Add evidence for the TRL." in m.body for m in mailoutbox)
    messages = _messages(response)
    assert any("2 listings rejected" in m for m in messages)
    assert any("Still a draft" in m and "left unchanged" in m for m in messages)


# --- one listing, from its change page ------------------------------------------------------


def test_change_page_offers_approve_and_reject_while_pending(kind, desk, client_for, university):
    pending = _make(kind, university, status="pending")
    published = _make(kind, university, status="published")
    client = client_for(desk)
    response = client.get(_url(kind, "change", pending.pk))
    assert response.context["can_review"] is True
    assert _url(kind, "publish", pending.pk).encode() in response.content
    assert _url(kind, "reject", pending.pk).encode() in response.content
    response = client.get(_url(kind, "change", published.pk))
    assert response.context["can_review"] is False
    assert _url(kind, "publish", published.pk).encode() not in response.content


def test_change_page_shows_all_the_owner_wrote(kind, desk, client_for, university):
    # The second-language title and summary and the NDA text are published too: a moderator
    # reads them before approving.
    pending = _make(kind, university, status="pending")
    type(pending).objects.filter(pk=pending.pk).update(
        alt_title="Second-language title", alt_summary="第二语言摘要", nda_text="NDA terms"
    )
    content = client_for(desk).get(_url(kind, "change", pending.pk)).content.decode()
    for text in ("Second-language title", "第二语言摘要", "NDA terms"):
        assert text in content


def test_publish_button(
    kind, desk, client_for, university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    listing = _make(kind, university, status="pending", user=uni_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk).post(_url(kind, "publish", listing.pk))
    assert (response.status_code, response.url) == (302, _url(kind, "change", listing.pk))
    listing.refresh_from_db()
    assert (listing.status, listing.reviewed_by) == ("published", desk)
    assert [m.to for m in mailoutbox] == [[uni_user.email]]


def test_publish_button_refuses_get(kind, desk, client_for, university):
    listing = _make(kind, university, status="pending")
    assert client_for(desk).get(_url(kind, "publish", listing.pk)).status_code == 405
    assert _status(listing) == "pending"


def test_publish_button_on_a_listing_that_is_not_pending_warns(kind, desk, client_for, university):
    listing = _make(kind, university, status="draft")
    response = client_for(desk).post(_url(kind, "publish", listing.pk))
    assert response.status_code == 302
    assert any("left unchanged" in m for m in _messages(response))
    assert _status(listing) == "draft"


def test_publish_button_on_a_missing_listing_is_404(kind, desk, client_for):
    assert client_for(desk).post(_url(kind, "publish", 999999)).status_code == 404


def test_reject_button(
    kind, desk, client_for, university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    listing = _make(kind, university, status="pending", user=uni_user)
    client = client_for(desk)
    response = client.get(_url(kind, "reject", listing.pk))
    assert response.status_code == 200
    assert response.context["action"] is None
    assert b'name="_confirm_reject"' not in response.content

    response = client.post(_url(kind, "reject", listing.pk), {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert _status(listing) == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(kind, "reject", listing.pk), {"reason": "Too vague."})
    assert (response.status_code, response.url) == (302, _url(kind, "change", listing.pk))
    listing.refresh_from_db()
    assert (listing.status, listing.rejection_reason) == ("rejected", "Too vague.")
    assert [m.to for m in mailoutbox] == [[uni_user.email]]


# --- take-down ------------------------------------------------------------------------------


def test_take_down_archives_published_listings(kind, desk, client_for, university):
    published = [_make(kind, university, status="published") for _ in range(2)]
    expired = _make(kind, university, status="expired")
    pending = _make(kind, university, status="pending", title="Waiting")
    response = _action(client_for(desk), kind, "archive_selected", [*published, expired, pending])
    assert response.status_code == 302
    assert [_status(x) for x in published] == ["archived", "archived"]
    assert _status(expired) == "archived"
    assert _status(pending) == "pending"
    events = ListingEvent.objects.filter(to_status="archived")
    assert events.count() == 3
    assert set(events.values_list("actor", flat=True)) == {desk.pk}
    messages = _messages(response)
    assert any("3 listings archived" in m for m in messages)
    assert any("Waiting" in m and "left unchanged" in m for m in messages)


# --- no adding, no deleting, no editing -----------------------------------------------------


def test_listings_cannot_be_added_or_deleted(kind, desk, client_for, university):
    listing = _make(kind, university, status="published")
    client = client_for(desk)
    assert client.get(_url(kind, "add")).status_code == 403
    assert client.post(_url(kind, "add"), {"title": "New"}).status_code == 403
    assert client.get(_url(kind, "delete", listing.pk)).status_code == 403
    assert client.post(_url(kind, "delete", listing.pk), {"post": "yes"}).status_code == 403

    response = client.get(_url(kind, "changelist"))
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"publish_selected", "reject_selected", "archive_selected"} <= set(actions)
    _action(client, kind, "delete_selected", [listing], post="yes")
    assert _model(kind).objects.filter(pk=listing.pk).exists()


def test_change_form_is_read_only(kind, desk, client_for, university):
    listing = _make(kind, university, status="pending", title="Original title")
    client = client_for(desk)
    response = client.get(_url(kind, "change", listing.pk))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == []
    # Send back whatever inline management data the page carries, plus a changed title.
    data = {"title": "Changed by a moderator", "status": "published", "_save": "Save"}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    response = client.post(_url(kind, "change", listing.pk), data)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Original title", "pending")
