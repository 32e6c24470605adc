"""The public notice of an agreed price (Art. 18): announcing it, the contract held back
until it ends, objections by anyone signed in, read by the owner and moderators only; the
public pages; every refusal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.deals import selectors, services
from marketplace.deals.models import Contract, Deal, PriceNotice, PriceObjection
from marketplace.notifications.models import Notification
from marketplace.refusals import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_required(settings):
    settings.PRICE_NOTICE_REQUIRED = True
    settings.PRICE_NOTICE_DAYS = 15


def _deal(conversation) -> Deal:
    return Deal.objects.select_related("conversation").get(conversation=conversation)


def _sign(conversation, user):
    return services.contract_record(
        deal=_deal(conversation),
        user=user,
        contract_type="transfer",
        value=Decimal("800000"),
        currency="CNY",
        signed_on=timezone.localdate(),
    )


def _announce(conversation, user, price="800000"):
    return services.price_announce(deal=_deal(conversation), user=user, price=Decimal(price))


def _end(notice):
    PriceNotice.objects.filter(pk=notice.pk).update(
        announced_at=timezone.now() - timedelta(days=16), ends_at=timezone.now() - timedelta(days=1)
    )


def test_contract_refused_before_the_price_is_announced(conversation, uni_user):
    with pytest.raises(Refused) as refused:
        _sign(conversation, uni_user)
    assert refused.value.status == 409
    assert "Announce the agreed price first" in str(refused.value)
    assert not Contract.objects.exists()


def test_announcing_starts_a_notice_of_the_configured_days_and_tells_the_other_side(
    conversation, uni_user, ent_user, settings
):
    settings.PRICE_NOTICE_DAYS = 20
    notice = _announce(conversation, uni_user)
    assert notice.price == Decimal("800000")
    assert notice.announced_by == uni_user
    assert (notice.ends_at - notice.announced_at) == timedelta(days=20)
    told = Notification.objects.filter(key=f"price_notice:{notice.pk}")
    assert [n.recipient for n in told] == [ent_user]


def test_contract_refused_while_the_notice_runs_and_recorded_after(
    conversation, uni_user, client_for
):
    notice = _announce(conversation, uni_user)
    with pytest.raises(Refused) as refused:
        _sign(conversation, uni_user)
    assert refused.value.status == 409
    assert "under public notice" in str(refused.value)
    assert not Contract.objects.exists()
    _end(notice)
    page = client_for(uni_user).get(conversation.get_absolute_url()).content.decode()
    assert "The public notice ended on" in page and 'data-action="contract"' in page
    contract = _sign(conversation, uni_user)
    assert _deal(conversation).stage == "contract_signed"
    assert contract.value == Decimal("800000")


def test_an_announced_notice_holds_back_the_contract_even_when_not_required(
    conversation, uni_user, settings
):
    settings.PRICE_NOTICE_REQUIRED = False
    _announce(conversation, uni_user)
    with pytest.raises(Refused):
        _sign(conversation, uni_user)


def test_notice_not_required_off_the_agreed_route(conversation, uni_user):
    achievement = conversation.interest.achievement
    achievement.pricing_route = "auction"
    achievement.save(update_fields=["pricing_route"])
    _sign(conversation, uni_user)  # no notice needed


@pytest.mark.parametrize("who, status", [("outsider", 403), ("third_org", 403), ("moderator", 403)])
def test_only_the_parties_announce(conversation, cast, who, status):
    with pytest.raises(Refused) as refused:
        _announce(conversation, cast[who])
    assert refused.value.status == status
    assert not PriceNotice.objects.exists()


def test_announcing_twice_is_refused(conversation, uni_user, ent_user):
    _announce(conversation, uni_user)
    with pytest.raises(Refused) as refused:
        _announce(conversation, ent_user, price="1")
    assert refused.value.status == 409
    assert PriceNotice.objects.get().price == Decimal("800000")


def test_announcing_on_a_closed_deal_is_refused(conversation, uni_user):
    Deal.objects.filter(conversation=conversation).update(stage="closed_lost", lost_reason="x")
    with pytest.raises(Refused) as refused:
        _announce(conversation, uni_user)
    assert refused.value.status == 409


@pytest.mark.parametrize("price", ["-1", "NaN", "abc", "Infinity"])
def test_a_bad_price_is_refused(conversation, uni_user, price):
    with pytest.raises(Refused) as refused:
        services.price_announce(deal=_deal(conversation), user=uni_user, price=price)
    assert refused.value.status == 400
    assert not PriceNotice.objects.exists()


def test_a_bad_currency_is_refused(conversation, uni_user):
    with pytest.raises(Refused) as refused:
        services.price_announce(
            deal=_deal(conversation), user=uni_user, price=Decimal(1), currency="XXX"
        )
    assert refused.value.status == 400


# --- Objections ---------------------------------------------------------------------------------


def test_anyone_signed_in_objects_and_the_owners_are_told(
    conversation, uni_user, uni_colleague, outsider
):
    notice = _announce(conversation, uni_user)
    objection = services.price_object(notice=notice, user=outsider, reason="Far below market.")
    assert objection.user == outsider
    told = Notification.objects.filter(key=f"price_objection:{objection.pk}")
    assert sorted(n.recipient.email for n in told) == sorted([uni_user.email, uni_colleague.email])


def test_an_objection_needs_a_reason(conversation, uni_user, outsider):
    notice = _announce(conversation, uni_user)
    with pytest.raises(Refused) as refused:
        services.price_object(notice=notice, user=outsider, reason="  ")
    assert refused.value.status == 400
    assert not PriceObjection.objects.exists()


def test_no_objection_after_the_notice_ended(conversation, uni_user, outsider):
    notice = _announce(conversation, uni_user)
    _end(notice)
    with pytest.raises(Refused) as refused:
        services.price_object(notice=notice, user=outsider, reason="Late.")
    assert refused.value.status == 409


# --- Pages --------------------------------------------------------------------------------------


def test_the_deal_page_offers_the_announcement_and_explains_the_contract_bar(
    client_for, conversation, uni_user
):
    page = client_for(uni_user).get(conversation.get_absolute_url()).content.decode()
    assert 'data-action="announce-price"' in page
    assert 'data-action="contract"' not in page
    assert "Announce the agreed price first" in page


def test_announce_view_posts_and_redirects(client_for, conversation, ent_user):
    url = reverse("deals:price_announce", args=[conversation.pk])
    response = client_for(ent_user).post(url, {"price": "500000", "currency": "CNY"})
    assert response.status_code == 302
    assert PriceNotice.objects.get().price == Decimal("500000")


@pytest.mark.parametrize(
    "data", [{"price": "-5", "currency": "CNY"}, {"price": "", "currency": "X"}]
)
def test_announce_view_bad_input_is_400(client_for, conversation, ent_user, data):
    url = reverse("deals:price_announce", args=[conversation.pk])
    response = client_for(ent_user).post(url, data)
    assert response.status_code == 400
    assert not PriceNotice.objects.exists()


def test_announce_view_twice_is_409(client_for, conversation, ent_user, uni_user):
    _announce(conversation, uni_user)
    url = reverse("deals:price_announce", args=[conversation.pk])
    response = client_for(ent_user).post(url, {"price": "5", "currency": "CNY"})
    assert response.status_code == 409


def test_announce_view_for_strangers(client_for, conversation, cast):
    url = reverse("deals:price_announce", args=[conversation.pk])
    assert client_for(cast["outsider"]).post(url, {"price": "5"}).status_code == 404
    assert client_for(cast["moderator"]).post(url, {"price": "5"}).status_code == 403
    assert client_for(None).post(url, {"price": "5"}).status_code == 302
    assert not PriceNotice.objects.exists()


def test_public_pages_show_the_price_and_parties(client_for, conversation, uni_user, achievement):
    notice = _announce(conversation, uni_user)
    home = client_for(None).get("/").content.decode()
    assert reverse("deals:notice_list") in home  # linked from every page's footer
    listing = client_for(None).get(reverse("deals:notice_list")).content.decode()
    assert "800,000.00" in listing or "800000" in listing
    assert conversation.other_organization.display_name in listing
    detail = client_for(None).get(notice.get_absolute_url())
    assert detail.status_code == 200
    assert conversation.owner_organization.display_name in detail.content.decode()
    on_listing = client_for(None).get(achievement.get_absolute_url()).content.decode()
    assert notice.get_absolute_url() in on_listing


def test_objections_visible_to_the_owner_and_moderators_only(
    client_for, conversation, uni_user, cast
):
    notice = _announce(conversation, uni_user)
    services.price_object(notice=notice, user=cast["outsider"], reason="SECRET-OBJECTION")
    for who, sees in [
        ("owner", True),
        ("colleague", True),
        ("moderator", True),
        ("sender", False),
        ("outsider", False),
        ("visitor", False),
    ]:
        page = client_for(cast[who]).get(notice.get_absolute_url()).content.decode()
        assert ("SECRET-OBJECTION" in page) is sees, who


def test_objection_form(client_for, conversation, uni_user, cast):
    notice = _announce(conversation, uni_user)
    url = notice.get_absolute_url()
    assert client_for(None).post(url, {"reason": "x"}).status_code == 302  # to log in
    assert client_for(cast["third_org"]).post(url, {"reason": ""}).status_code == 400
    assert not PriceObjection.objects.exists()
    response = client_for(cast["third_org"]).post(url, {"reason": "Too low."})
    assert response.status_code == 302
    assert PriceObjection.objects.get().reason == "Too low."
    _end(notice)
    assert client_for(cast["third_org"]).post(url, {"reason": "Late"}).status_code == 409


def test_missing_notice_is_404(client_for):
    assert client_for(None).get(reverse("deals:notice_detail", args=[999999])).status_code == 404


def test_selector_verdict_matches_the_service(conversation, uni_user):
    actions = selectors.deal_actions(uni_user, _deal(conversation).conversation)
    assert actions.announce_price
    assert not actions.record_contract


def test_the_notice_pages_speak_chinese(conversation, uni_user):
    from django.test import Client

    notice = _announce(conversation, uni_user)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "价格公示" in client.get(reverse("deals:notice_list")).content.decode()
    assert "协议价格" in client.get(notice.get_absolute_url()).content.decode()
    client.force_login(uni_user)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "公示期至" in page
