"""The moderation desk in Django admin.

Two kinds of moderator work the desk: ``admin_user`` (a superuser) and ``listing_moderator``
(staff with only the view and change permissions on achievements and challenges). Status
changes go through the lifecycle services: refusals are warnings that leave the listing as it
was.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from marketplace.listings.models import Achievement, Challenge, ListingEvent
from tests import factories
from tests.factories import field, make_achievement, make_challenge
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

LISTING_PERMISSIONS = [
    "view_achievement",
    "change_achievement",
    "view_challenge",
    "change_challenge",
]


@pytest.fixture
def listing_moderator(db):
    """Staff with the view and change permissions on listings, nothing else."""
    user = factories.make_user(staff=True, email="reviewer@keqiao.example")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="listings", codename__in=LISTING_PERMISSIONS
        )
    )
    return user


@pytest.fixture(params=["admin_user", "listing_moderator"])
def desk(request):
    """Whoever works the moderation desk: each test runs for both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["achievement", "challenge"])
def kind(request):
    return request.param


def _make(kind, org, **kw):
    return (make_achievement if kind == "achievement" else make_challenge)(org, **kw)


def _model(kind):
    return Achievement if kind == "achievement" else Challenge


def _url(kind, view, *args):
    return reverse(f"admin:listings_{kind}_{view}", args=args)


def _pks(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _status(listing):
    return type(listing).objects.values_list("status", flat=True).get(pk=listing.pk)


def _action(client, kind, action, listings, **extra):
    data = {"action": action, "index": "0", "_selected_action": [x.pk for x in listings]}
    data.update(extra)
    return client.post(_url(kind, "changelist"), data)


# --- who gets in ----------------------------------------------------------------------------


def test_desk_opens_the_changelist(kind, desk, client_for, university):
    listing = _make(kind, university, status="pending")
    response = client_for(desk).get(_url(kind, "changelist"))
    assert response.status_code == 200
    assert _pks(response) == [listing.pk]


def test_staff_without_permissions_gets_403(kind, moderator, client_for, university):
    listing = _make(kind, university, status="pending")
    client = client_for(moderator)
    assert client.get(_url(kind, "changelist")).status_code == 403
    assert client.get(_url(kind, "change", listing.pk)).status_code == 403
    assert client.post(_url(kind, "publish", listing.pk)).status_code == 403
    assert client.post(_url(kind, "reject", listing.pk), {"reason": "No."}).status_code == 403
    assert _status(listing) == "pending"


@pytest.mark.parametrize("who", ["visitor", "owner", "outsider"])
def test_non_staff_are_sent_to_the_admin_login(kind, who, people, client_for, university):
    listing = _make(kind, university, status="pending")
    client = client_for(people[who])
    for response in (
        client.get(_url(kind, "changelist")),
        client.post(_url(kind, "publish", listing.pk)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert _status(listing) == "pending"


def test_view_only_staff_cannot_moderate(kind, client_for, university):
    viewer = factories.make_user(staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_achievement", "view_challenge"])
    )
    listing = _make(kind, university, status="pending")
    client = client_for(viewer)
    response = client.get(_url(kind, "changelist"))
    assert response.status_code == 200
    assert response.context["action_form"] is None or not [
        name for name, _label in response.context["action_form"].fields["action"].choices if name
    ]
    assert client.post(_url(kind, "publish", listing.pk)).status_code == 403
    _action(client, kind, "publish_selected", [listing])
    assert _status(listing) == "pending"


# --- the review queue -----------------------------------------------------------------------


def test_review_queue_pending_first_oldest_submission_first(kind, desk, client_for, university):
    now = timezone.now()
    waiting_3d = _make(kind, university, status="pending", submitted_at=now - timedelta(days=3))
    waiting_1d = _make(kind, university, status="pending", submitted_at=now - timedelta(days=1))
    waiting_2d = _make(kind, university, status="pending", submitted_at=now - timedelta(days=2))
    published = _make(kind, university, status="published")
    draft = _make(kind, university, status="draft")
    rejected = _make(kind, university, status="rejected")
    model = _model(kind)
    # The rest: most recently changed first.
    for listing, age in ((published, 5), (draft, 1), (rejected, 3)):
        model.objects.filter(pk=listing.pk).update(updated_at=now - timedelta(hours=age))
    response = client_for(desk).get(_url(kind, "changelist"))
    assert _pks(response) == [
        waiting_3d.pk,
        waiting_2d.pk,
        waiting_1d.pk,
        draft.pk,
        rejected.pk,
        published.pk,
    ]


# --- filters and search ---------------------------------------------------------------------


def test_filter_status(kind, desk, client_for, university):
    pending = _make(kind, university, status="pending")
    _make(kind, university, status="published")
    _make(kind, university, status="draft")
    response = client_for(desk).get(_url(kind, "changelist") + "?status__exact=pending")
    assert _pks(response) == [pending.pk]


@pytest.mark.parametrize("org_kind", ["university", "enterprise"])
def test_filter_organisation_kind(kind, org_kind, desk, client_for, university, enterprise):
    ours = _make(kind, university)
    theirs = _make(kind, enterprise)
    response = client_for(desk).get(_url(kind, "changelist") + f"?organization__kind={org_kind}")
    assert _pks(response) == [ours.pk if org_kind == "university" else theirs.pk]


def test_filter_field_top_level_includes_sub_fields(kind, desk, client_for, university):
    lithography = _make(kind, university, fields=[field("ic-lithography")])
    ic_itself = _make(kind, university, fields=[field("ic")])
    both = _make(kind, university, fields=[field("ic-design"), field("ic-packaging")])
    _make(kind, university, fields=[field("ai-vision")])
    response = client_for(desk).get(_url(kind, "changelist") + "?field=ic")
    # Each once, even the one in two matching fields.
    assert sorted(_pks(response)) == sorted([lithography.pk, ic_itself.pk, both.pk])


def test_filter_field_sub_field(kind, desk, client_for, university):
    lithography = _make(kind, university, fields=[field("ic-lithography")])
    _make(kind, university, fields=[field("ic-design")])
    _make(kind, university, fields=[field("ic")])
    response = client_for(desk).get(_url(kind, "changelist") + "?field=ic-lithography")
    assert _pks(response) == [lithography.pk]
    # The chosen sub-field's siblings unfold under their parent in the filter.
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "field"
        for choice in spec.choices(response.context["cl"])
    ]
    assert any("Chip design" in str(c) for c in choices)


def test_filter_region(kind, desk, client_for, university, enterprise):
    zhejiang = _make(kind, university)
    _make(kind, enterprise)
    response = client_for(desk).get(_url(kind, "changelist") + "?region__exact=zhejiang")
    assert _pks(response) == [zhejiang.pk]


def test_filter_organisation(kind, desk, client_for, university, enterprise, unverified_org):
    ours = _make(kind, university)
    _make(kind, enterprise)
    response = client_for(desk).get(
        _url(kind, "changelist") + f"?organization__id__exact={university.pk}"
    )
    assert _pks(response) == [ours.pk]
    # Only organisations that have listings are offered.
    [spec] = [
        s
        for s in response.context["cl"].filter_specs
        if getattr(s, "field_path", None) == "organization"
    ]
    assert {pk for pk, _name in spec.lookup_choices} == {university.pk, enterprise.pk}


PLAIN = {"title": "Plain title", "summary": "Plain summary.", "keywords": ["plain"]}


@pytest.mark.parametrize(
    ("query", "target_data", "in_enterprise"),
    [
        ("euv PHOTORESIST", {"title": "EUV photoresist"}, False),
        ("metal-oxide", {"summary": "A metal-oxide resist."}, False),
        ("光刻胶", {"keywords": ["光刻胶", "EUV"]}, False),
        ("深芯微", {}, True),
        ("shenxin", {}, True),
    ],
)
def test_search(kind, query, target_data, in_enterprise, desk, client_for, university, enterprise):
    enterprise.name_en = "Shenxin Microelectronics"
    enterprise.save()
    target = _make(kind, enterprise if in_enterprise else university, **{**PLAIN, **target_data})
    _make(kind, university, **PLAIN)
    response = client_for(desk).get(_url(kind, "changelist"), {"q": query})
    assert _pks(response) == [target.pk]


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


# --- organisations --------------------------------------------------------------------------

ORG_CHANGELIST = reverse("admin:accounts_organization_changelist")


def _org_action(client, action, orgs):
    return client.post(
        ORG_CHANGELIST,
        {"action": action, "index": "0", "_selected_action": [o.pk for o in orgs]},
    )


def test_verify_organisations(
    admin_user,
    client_for,
    university,
    unverified_org,
    unverified_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    verified_at = university.verified_at
    with django_capture_on_commit_callbacks(execute=True):
        response = _org_action(
            client_for(admin_user), "verify_selected", [university, unverified_org]
        )
    assert response.status_code == 302
    unverified_org.refresh_from_db()
    assert (unverified_org.is_verified, unverified_org.verified_by) == (True, admin_user)
    assert unverified_org.verified_at is not None
    # The one verified already keeps who verified it and when.
    university.refresh_from_db()
    assert (university.verified_at, university.verified_by) == (verified_at, None)
    assert [m.to for m in mailoutbox] == [[unverified_user.email]]
    assert any("1 organisation verified" in m for m in _messages(response))


def test_verify_nothing_to_change_warns(admin_user, client_for, university):
    response = _org_action(client_for(admin_user), "verify_selected", [university])
    assert any("Nothing to change" in m for m in _messages(response))


def test_unverify_organisations(
    admin_user,
    client_for,
    university,
    uni_user,
    unverified_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _org_action(
            client_for(admin_user), "unverify_selected", [university, unverified_org]
        )
    assert response.status_code == 302
    university.refresh_from_db()
    assert (university.is_verified, university.verified_at, university.verified_by) == (
        False,
        None,
        None,
    )
    assert not Organization.objects.get(pk=unverified_org.pk).is_verified
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert any("withdrawn from 1 organisation" in m for m in _messages(response))


def test_listing_moderator_cannot_verify_organisations(
    listing_moderator, client_for, unverified_org
):
    client = client_for(listing_moderator)
    assert client.get(ORG_CHANGELIST).status_code == 403
    assert _org_action(client, "verify_selected", [unverified_org]).status_code == 403
    assert not Organization.objects.get(pk=unverified_org.pk).is_verified


# --- queries --------------------------------------------------------------------------------


def _varied_listings(kind, count, moderator):
    statuses = ["pending", "published", "rejected", "draft", "archived"]
    orgs = [factories.make_org(kind=k) for k in ("university", "enterprise", "transfer_centre")]
    for n in range(count):
        listing = _make(
            kind,
            orgs[n % 3],
            status=statuses[n % 5],
            fields=[field("ic-lithography"), field("ai-vision")],
        )
        _model(kind).objects.filter(pk=listing.pk).update(reviewed_by=moderator)


def test_changelist_queries_do_not_grow_with_the_page(kind, desk, moderator, client_for):
    client = client_for(desk)
    # Warmed before each count: the caches (content types, session).
    lists = assert_constant_queries(
        lambda n: _varied_listings(kind, n, moderator),
        lambda: client.get(_url(kind, "changelist")),
        few=3,
        many=15,
    )
    assert lists.few.status_code == lists.many.status_code == 200
    assert _model(kind).objects.count() == 15
    assert len(lists.many.context["cl"].result_list) == 15
