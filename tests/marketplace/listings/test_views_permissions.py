"""The permission matrix of every listing page and action.

Rows: visitor, owner (member of the owner organisation), other_org (member of another,
verified organisation), unverified_org (member of an unverified organisation), outsider
(signed in, no organisation), moderator.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.listings import services
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db

ROWS = ["visitor", "owner", "other_org", "unverified_org", "outsider", "moderator"]


@pytest.fixture(params=["achievement", "challenge"])
def kind(request):
    return request.param


def _make(kind, org, **kw):
    return (make_achievement if kind == "achievement" else make_challenge)(org, **kw)


def _url(kind, action, listing=None):
    if action == "list":
        return reverse(f"search:{kind}_list")
    args = [listing.pk] if listing is not None else []
    return reverse(f"listings:{kind}_{action}", args=args)


# --- public pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROWS)
def test_list_shows_only_published_listings_to_everyone(kind, who, people, university, client_for):
    published = _make(kind, university, title="Published one")
    for status in ("draft", "pending", "rejected", "archived", "expired"):
        _make(kind, university, status=status, title=f"Hidden {status}")
    response = client_for(people[who]).get(_url(kind, "list"))
    assert response.status_code == 200
    assert [x.pk for x in response.context["page"].object_list] == [published.pk]
    assert b"Hidden" not in response.content


@pytest.mark.parametrize(
    ("who", "sees_full"),
    [
        ("visitor", False),
        ("owner", True),
        # Another verified organisation reads the full description only once the owner
        # accepted its interest (tests/marketplace/deals/test_ladder.py climbs the ladder).
        ("other_org", False),
        ("unverified_org", False),
        ("outsider", False),
        ("moderator", True),
    ],
)
def test_published_detail_teaser_or_full(kind, who, sees_full, people, university, client_for):
    listing = _make(kind, university, description="SECRET-FULL-TEXT", summary="PUBLIC-TEASER")
    response = client_for(people[who]).get(listing.get_absolute_url())
    assert response.status_code == 200
    assert b"PUBLIC-TEASER" in response.content
    assert (b"SECRET-FULL-TEXT" in response.content) is sees_full


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("visitor", False),
        ("owner", True),
        ("other_org", False),
        ("unverified_org", False),
        ("outsider", False),
        ("moderator", True),
    ],
)
def test_challenge_confidential_details_only_for_owner_and_moderator(
    who, sees, people, university, client_for
):
    challenge = make_challenge(university, confidential_details="YIELD-IS-71")
    response = client_for(people[who]).get(challenge.get_absolute_url())
    assert (b"YIELD-IS-71" in response.content) is sees


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived", "expired"])
@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 404),
        ("owner", 200),
        ("other_org", 404),
        ("unverified_org", 404),
        ("outsider", 404),
        ("moderator", 200),
    ],
)
def test_unpublished_detail_only_for_owner_and_moderator(
    kind, status, who, code, people, university, client_for
):
    listing = _make(kind, university, status=status)
    assert client_for(people[who]).get(listing.get_absolute_url()).status_code == code


def test_missing_listing_is_404(kind, client_for, uni_user):
    assert (
        client_for(uni_user).get(reverse(f"listings:{kind}_detail", args=[999999])).status_code
        == 404
    )


# --- owner actions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("owner", 200),
        ("other_org", 200),
        ("unverified_org", 200),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_create_page(kind, who, code, people, client_for):
    response = client_for(people[who]).get(_url(kind, "create"))
    assert response.status_code == code
    if code == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("owner", 200),
        ("other_org", 403),
        ("unverified_org", 403),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_edit_page_of_published_listing(kind, who, code, people, university, client_for):
    listing = _make(kind, university)
    assert client_for(people[who]).get(_url(kind, "edit", listing)).status_code == code


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("owner", 200),
        ("other_org", 404),
        ("unverified_org", 404),
        ("outsider", 404),
        ("moderator", 403),
    ],
)
def test_edit_page_of_draft(kind, who, code, people, university, client_for):
    listing = _make(kind, university, status="draft")
    assert client_for(people[who]).get(_url(kind, "edit", listing)).status_code == code


ACTIONS = [
    # action, starting status, status after the owner does it
    ("submit", "draft", "pending"),
    ("withdraw", "pending", "draft"),
    ("archive", "published", "archived"),
    ("delete", "draft", None),
]


@pytest.mark.parametrize(("action", "before", "after"), ACTIONS)
@pytest.mark.parametrize("who", ROWS)
def test_owner_actions_matrix(kind, action, before, after, who, people, university, client_for):
    listing = _make(kind, university, status=before)
    response = client_for(people[who]).post(_url(kind, action, listing))
    model = type(listing)
    if who == "owner":
        assert response.status_code == 302
        if after is None:
            assert not model.objects.filter(pk=listing.pk).exists()
        else:
            assert model.objects.get(pk=listing.pk).status == after
        return
    expected = {"visitor": 302, "moderator": 403}.get(who, 403 if before == "published" else 404)
    assert response.status_code == expected
    assert model.objects.get(pk=listing.pk).status == before


def test_renew_achievement_by_owner_only(people, university, client_for):
    listing = make_achievement(university, status="expired")
    for who in ("visitor", "other_org", "moderator"):
        client_for(people[who]).post(_url("achievement", "renew", listing))
        listing.refresh_from_db()
        assert listing.status == "expired"
    client_for(people["owner"]).post(_url("achievement", "renew", listing))
    listing.refresh_from_db()
    assert listing.status == "published"


def test_renew_challenge_with_bad_deadline_changes_nothing(people, university, client_for):
    listing = make_challenge(university, status="expired")
    response = client_for(people["owner"]).post(
        _url("challenge", "renew", listing), {"deadline": "not-a-date"}, follow=True
    )
    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.status == "expired"
    assert any("valid date" in str(m) for m in response.context["messages"])


def test_refused_transition_is_a_message_not_an_error(kind, people, university, client_for):
    listing = _make(kind, university, status="published")
    response = client_for(people["owner"]).post(_url(kind, "submit", listing), follow=True)
    assert response.status_code == 200
    assert any("can be submitted" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("action", ["archive", "delete"])
def test_destructive_actions_ask_for_confirmation_first(
    kind, action, people, university, client_for
):
    before = "published" if action == "archive" else "draft"
    listing = _make(kind, university, status=before)
    response = client_for(people["owner"]).get(_url(kind, action, listing))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert type(listing).objects.get(pk=listing.pk).status == before


@pytest.mark.parametrize("action", ["submit", "renew"])
def test_state_changes_refuse_get(kind, action, people, university, client_for):
    listing = _make(kind, university, status="draft")
    assert client_for(people["owner"]).get(_url(kind, action, listing)).status_code == 405


def test_withdraw_asks_first(kind, people, university, client_for):
    listing = _make(kind, university, status="pending")
    response = client_for(people["owner"]).get(_url(kind, "withdraw", listing))
    assert response.status_code == 200
    assert "Withdraw this listing to draft?" in response.content.decode()
    assert type(listing).objects.get(pk=listing.pk).status == "pending"


# --- attachments -----------------------------------------------------------------------------


def _attach(listing, user, confidential):
    return services.attachment_add(
        listing=listing,
        user=user,
        file=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        title="Spec",
        is_confidential=confidential,
    )


@pytest.mark.parametrize(
    ("who", "public_code", "confidential_code"),
    [
        ("visitor", 200, 404),
        ("owner", 200, 200),
        ("other_org", 200, 404),
        ("unverified_org", 200, 404),
        ("outsider", 200, 404),
        ("moderator", 200, 200),
    ],
)
def test_attachment_download_matrix(
    kind, who, public_code, confidential_code, people, university, uni_user, client_for
):
    listing = _make(kind, university)
    public, confidential = _attach(listing, uni_user, False), _attach(listing, uni_user, True)
    client = client_for(people[who])
    response = client.get(reverse("listings:attachment_download", args=[public.pk]))
    assert response.status_code == public_code
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    response = client.get(reverse("listings:attachment_download", args=[confidential.pk]))
    assert response.status_code == confidential_code


@pytest.mark.parametrize(
    ("who", "code"),
    [("visitor", 404), ("owner", 200), ("other_org", 404), ("moderator", 200)],
)
def test_files_of_a_draft_are_private(kind, who, code, people, university, uni_user, client_for):
    attachment = _attach(_make(kind, university, status="draft"), uni_user, False)
    response = client_for(people[who]).get(
        reverse("listings:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == code


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("owner", 302), ("other_org", 403)])
def test_attachment_upload_matrix(kind, who, code, people, university, client_for):
    listing = _make(kind, university)
    upload = SimpleUploadedFile("data.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client_for(people[who]).post(
        _url(kind, "attachment_upload", listing), {"file": upload, "title": "Data"}
    )
    assert response.status_code == code
    assert listing.attachments.count() == (1 if who == "owner" else 0)


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("owner", 302), ("other_org", 403)])
def test_attachment_delete_matrix(kind, who, code, people, university, uni_user, client_for):
    listing = _make(kind, university)
    attachment = _attach(listing, uni_user, False)
    response = client_for(people[who]).post(
        reverse("listings:attachment_delete", args=[attachment.pk])
    )
    assert response.status_code == code
    assert listing.attachments.count() == (0 if who == "owner" else 1)


# --- dashboard -------------------------------------------------------------------------------


def test_dashboard_shows_own_listings_in_every_status(people, university, enterprise, client_for):
    mine = [
        make_achievement(university, status=s)
        for s in ("draft", "pending", "published", "rejected", "archived", "expired")
    ]
    make_achievement(enterprise, title="Not mine")
    response = client_for(people["owner"]).get(reverse("listings:dashboard"))
    assert response.status_code == 200
    assert {x.pk for x in response.context["page"].object_list} == {x.pk for x in mine}
    response = client_for(people["owner"]).get(reverse("listings:dashboard") + "?status=rejected")
    assert [x.pk for x in response.context["page"].object_list] == [mine[3].pk]


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("outsider", 200), ("moderator", 200)])
def test_dashboard_without_organisation(who, code, people, client_for):
    response = client_for(people[who]).get(reverse("listings:dashboard"))
    assert response.status_code == code
    if code == 200:
        assert "page" not in response.context


@pytest.mark.parametrize("query", ["?kind=bogus", "?status=bogus", "?page=abc", "?page=999999"])
def test_dashboard_bad_query_strings_do_not_fail(query, people, client_for):
    assert client_for(people["owner"]).get(reverse("listings:dashboard") + query).status_code == 200


def test_dashboard_kind_filter_shows_challenges(people, university, client_for):
    make_achievement(university)
    challenge = make_challenge(university)
    response = client_for(people["owner"]).get(reverse("listings:dashboard") + "?kind=challenge")
    assert response.context["kind"] == "challenge"
    assert [x.pk for x in response.context["page"].object_list] == [challenge.pk]
    assert response.context["kind_totals"] == {"achievement": 1, "challenge": 1}


def test_dashboard_says_what_it_ignored_and_shows_the_rest(people, university, client_for):
    listing = make_achievement(university, status="draft")
    response = client_for(people["owner"]).get(
        reverse("listings:dashboard") + "?status=sold&kind=achievement"
    )
    assert [x.pk for x in response.context["page"].object_list] == [listing.pk]
    assert response.context["status"] == ""
    (notice,) = response.context["ignored"]
    assert "status" in notice and "sold" in notice
    assert b'class="alert alert-warning py-2 small" role="alert"' in response.content


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999999999999999999"])
def test_list_bad_page_numbers_do_not_fail(kind, query, client_for):
    assert client_for(None).get(_url(kind, "list") + query).status_code == 200
