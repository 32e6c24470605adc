"""The moderation desk in Django admin, its list: who gets in, the review queue, each filter
and the search, and a query count that does not grow with the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import field
from tests.support.queries import assert_constant_queries

from .support import _action, _make, _model, _pks, _status, _url

pytestmark = pytest.mark.django_db


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
