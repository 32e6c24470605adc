"""End to end, in a real browser, the deals room: an enterprise finds a university's
achievement and expresses interest; the university accepts; they exchange messages (one with
a file); the enterprise reads the full description, accepts the NDA and downloads the
confidential file; the contract is recorded and exported; the Guangdong transfer centre's
reports count it. Each person browses in their own browser context."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.choices import OrganizationKind
from accounts.models import Organization, User
from marketplace.listings.models import Achievement, Attachment
from marketplace.listings.services import attachment_add
from tests import factories

from .helpers import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the technical fields.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Sulfide solid-state battery electrolyte 硫化物固态电池电解质"
SEARCH = "固态电池"
TEASER = "A sulfide solid electrolyte for all-solid-state lithium cells, stable to 4.5 V."
DESCRIPTION = "Full recipe: Li6PS5Cl doped with 2% iodine, annealed at 550 °C; pilot line 10 t/y."

PUBLIC_TITLE = "Public brochure"
PUBLIC_BYTES = b"%PDF-1.4 public brochure of the solid electrolyte"
SECRET_TITLE = "Cell test data"
SECRET_BYTES = b"%PDF-1.4 CONFIDENTIAL: 1,000 cycles at 1C, 92% capacity retained"

UNI = ("华南固态电池研究院", "South China Solid-State Battery Institute")
ENT = ("深芯储能科技", "Shenxin Energy Storage")
CENTRE = ("粤港澳技术转移中心", "Greater Bay Technology Transfer Centre")

REPLY_NAME = "requirements.txt"
REPLY_BYTES = "Our requirements: 500 cells/month, −20 °C to 60 °C. 需求清单\n".encode()


@dataclass
class Cast:
    university: User
    enterprise: User
    broker: User
    achievement: Achievement
    public_file: Attachment
    secret_file: Attachment


def _org(kind: str, names: tuple[str, str]) -> Organization:
    org = factories.make_org(kind=kind, name=names[0], region="guangdong")
    org.name_en = names[1]
    org.save(update_fields=["name_en"])
    return org


def _person(org: Organization, email: str, full_name: str) -> User:
    user = factories.make_user(org=org, email=email)
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


def _attach(listing: Achievement, user: User, title: str, name: str, content: bytes, *, secret):
    return attachment_add(
        listing=listing,
        user=user,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        title=title,
        is_confidential=secret,
    )


@pytest.fixture
def cast(db) -> Cast:
    """A verified university, enterprise and transfer centre, all in Guangdong, one person
    each; the university's published achievement with a public and a confidential file, and
    another achievement the search must leave out."""
    university = _org(OrganizationKind.UNIVERSITY, UNI)
    enterprise = _org(OrganizationKind.ENTERPRISE, ENT)
    centre = _org(OrganizationKind.TRANSFER_CENTRE, CENTRE)
    owner = _person(university, "wang.li@scsbi.example", "Wang Li")
    achievement = factories.make_achievement(
        university,
        user=owner,
        title=TITLE,
        summary=TEASER,
        description=DESCRIPTION,
        keywords=["固态电池", "solid electrolyte"],
        fields=[factories.field("energy-battery")],
    )
    factories.make_achievement(university, user=owner)  # EUV photoresist: not a battery
    return Cast(
        university=owner,
        enterprise=_person(enterprise, "chen.jing@shenxin-es.example", "Chen Jing"),
        broker=_person(centre, "zhou.min@gba-ttc.example", "Zhou Min"),
        achievement=achievement,
        public_file=_attach(
            achievement, owner, PUBLIC_TITLE, "brochure.pdf", PUBLIC_BYTES, secret=False
        ),
        secret_file=_attach(
            achievement, owner, SECRET_TITLE, "cell-data.pdf", SECRET_BYTES, secret=True
        ),
    )


# --- Helpers ------------------------------------------------------------------------------------


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def stage(page: Page) -> Locator:
    """The deal's stage in the deal card (the page's head shows it too)."""
    return page.get_by_test_id("deal-card").get_by_test_id("deal-stage")


def table_row(page: Page, table: str, label: str) -> Locator:
    """The cells of the row headed ``label`` in the reports' table ``table-<table>``."""
    row = page.get_by_test_id(f"table-{table}").locator(
        "tr", has=page.get_by_role("rowheader", name=label, exact=True)
    )
    return row.locator("td")


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as info:
        link.click()
    return info.value.path().read_bytes()


# --- The journey --------------------------------------------------------------------------------


def test_enterprise_and_university_go_from_interest_to_a_signed_contract(
    new_page: Callable[[], Page], cast: Cast, snap
):
    today = timezone.localdate()
    listing_url = cast.achievement.get_absolute_url()
    public_url = reverse("listings:attachment_download", args=[cast.public_file.pk])
    secret_url = reverse("listings:attachment_download", args=[cast.secret_file.pk])

    # 1. The enterprise searches the achievements and opens the battery: the teaser only.
    ent = new_page()
    log_in(ent, cast.enterprise)
    ent.goto(f"/achievements/?q={SEARCH}")
    expect(ent.get_by_test_id("result-count")).to_have_text("1 result")
    card = ent.get_by_role("article").filter(has=ent.get_by_role("link", name=TITLE, exact=True))
    expect(card).to_contain_text(UNI[1])
    snap(ent, "01-search")
    card.get_by_role("link", name=TITLE, exact=True).click()

    expect(ent.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(ent.locator(".kq-summary")).to_have_text(TEASER)
    expect(ent.get_by_test_id("teaser-lock")).to_be_visible()
    expect(ent.get_by_test_id("full-description")).to_have_count(0)
    expect(ent.locator("main")).not_to_contain_text(DESCRIPTION)
    expect(ent.get_by_role("link", name=PUBLIC_TITLE)).to_be_visible()
    expect(ent.get_by_role("link", name=SECRET_TITLE)).to_have_count(0)
    snap(ent, "02-teaser")

    # 2. It expresses interest: pending.
    ent.get_by_test_id("express-interest").click()
    expect(ent.get_by_role("heading", name="Express interest", level=1)).to_be_visible()
    ent.get_by_role("radio", name="A licence").check()
    ent.get_by_label("Message to the listing").fill(
        "We build storage packs in Shenzhen and would like a licence for the electrolyte."
    )
    snap(ent, "03-interest-form")
    ent.get_by_role("button", name="Send", exact=True).click()
    expect(ent.get_by_role("heading", name="Your organisation's interest")).to_be_visible()
    expect(ent.get_by_test_id("interest-status")).to_have_text("Waiting for an answer")
    expect(ent.get_by_text("Your interest was sent.")).to_be_visible()
    snap(ent, "04-interest-pending")

    # 3. The university answers from its received interest and accepts: a conversation.
    uni = new_page()
    log_in(uni, cast.university)
    nav(uni).get_by_role("link", name="Interest", exact=True).click()
    received = uni.get_by_test_id("interest-list")
    expect(received).to_contain_text(ENT[1])
    expect(received.get_by_test_id("interest-status")).to_have_text("Waiting for an answer")
    snap(uni, "05-interest-received")
    received.get_by_role("link", name=TITLE).click()
    expect(uni.get_by_role("heading", name=f"Interest from {ENT[1]}")).to_be_visible()
    expect(uni.get_by_test_id("interest-message")).to_contain_text("licence for the electrolyte")
    uni.get_by_role("button", name="Accept and open a conversation").click()
    expect(uni.get_by_role("heading", name=f"With {ENT[1]}", level=1)).to_be_visible()
    expect(uni.get_by_text("Interest accepted.")).to_be_visible()
    expect(stage(uni)).to_have_text("Contacted")
    snap(uni, "06-conversation-opened")

    # 4. The university writes; the enterprise sees the badge, reads and replies with a file.
    uni.get_by_label("Message", exact=True).fill("Welcome! Which cell format do you make?")
    uni.get_by_role("button", name="Send", exact=True).click()
    expect(uni.get_by_test_id("message")).to_have_count(1)
    expect(uni.get_by_test_id("message")).to_contain_text("Which cell format")

    ent.reload()
    expect(ent.get_by_test_id("conversation-count")).to_have_text("1 with unread messages")
    snap(ent, "07-unread-badge")
    ent.get_by_test_id("conversation-badge").click()
    conversations = ent.get_by_test_id("conversation-list")
    expect(conversations.get_by_test_id("unread")).to_have_text("1 new")
    expect(conversations).to_contain_text("Which cell format")
    conversations.get_by_role("link", name=UNI[1]).click()
    expect(ent.get_by_role("heading", name=f"With {UNI[1]}", level=1)).to_be_visible()
    expect(ent.get_by_test_id("message")).to_contain_text("Which cell format")
    expect(ent.get_by_test_id("message")).to_have_class(re.compile(r"\bkq-unread\b"))
    expect(ent.get_by_test_id("conversation-count")).to_have_count(0)  # read now
    ent.get_by_label("Message", exact=True).fill("Pouch cells, 20 Ah. Our requirements attached.")
    ent.get_by_label("Files", exact=True).set_input_files(
        files=[{"name": REPLY_NAME, "mimeType": "text/plain", "buffer": REPLY_BYTES}]
    )
    ent.get_by_role("button", name="Send", exact=True).click()
    expect(ent.get_by_test_id("message")).to_have_count(2)
    expect(ent.get_by_test_id("message").last.get_by_role("link", name=REPLY_NAME)).to_be_visible()
    snap(ent, "08-reply-with-file")

    uni.reload()
    reply = uni.get_by_test_id("message").last
    expect(reply).to_contain_text("Pouch cells, 20 Ah.")
    expect(reply).to_contain_text(cast.enterprise.full_name)
    assert download(uni, reply.get_by_role("link", name=REPLY_NAME)) == REPLY_BYTES
    snap(uni, "09-reply-received")

    # 5. The enterprise reads the full description now, but not the confidential file.
    ent.goto(listing_url)
    expect(ent.get_by_test_id("full-description")).to_have_text(DESCRIPTION)
    expect(ent.get_by_test_id("teaser-lock")).to_have_count(0)
    expect(ent.get_by_test_id("confidential-lock")).to_be_visible()
    expect(ent.get_by_role("link", name=PUBLIC_TITLE)).to_be_visible()
    expect(ent.get_by_role("link", name=SECRET_TITLE)).to_have_count(0)
    snap(ent, "10-full-description")
    public = ent.request.get(public_url)
    assert public.status == 200 and public.body() == PUBLIC_BYTES
    refused = ent.request.get(secret_url, max_redirects=0)
    assert refused.status in (403, 404), (refused.status, refused.text()[:200])

    # 6. It accepts the NDA: "NDA signed", and the confidential file opens.
    ent.get_by_test_id("deal-panel").get_by_role("link", name="Open the conversation").click()
    expect(ent.get_by_test_id("listing-files")).not_to_contain_text(SECRET_TITLE)
    ent.get_by_test_id("nda-open").click()
    expect(ent.get_by_role("heading", name="Non-disclosure agreement", level=1)).to_be_visible()
    expect(ent.get_by_test_id("nda-text")).not_to_be_empty()
    ent.get_by_role("checkbox", name="I have read these terms and accept them").check()
    snap(ent, "11-nda")
    ent.get_by_role("button", name="Accept the NDA").click()
    expect(ent.get_by_text("NDA accepted.")).to_be_visible()
    expect(stage(ent)).to_have_text("NDA signed")
    expect(ent.get_by_test_id("nda-card")).to_contain_text(f"{ENT[1]} accepted the NDA")
    files = ent.get_by_test_id("listing-files")
    expect(files.get_by_role("listitem").filter(has_text=SECRET_TITLE)).to_contain_text(
        "confidential"
    )
    snap(ent, "12-nda-signed")
    assert_accessible(ent)  # the conversation page, with messages, a file and the NDA

    assert download(ent, files.get_by_role("link", name=SECRET_TITLE)) == SECRET_BYTES
    href = files.get_by_role("link", name=SECRET_TITLE).get_attribute("href")
    assert href == secret_url
    opened = ent.request.get(href)
    assert opened.status == 200 and opened.body() == SECRET_BYTES
    ent.goto(listing_url)
    expect(ent.get_by_role("link", name=SECRET_TITLE)).to_be_visible()
    expect(ent.get_by_test_id("confidential-lock")).to_have_count(0)

    # 7. The university moves the deal to negotiating, then records the contract.
    uni.reload()
    expect(stage(uni)).to_have_text("NDA signed")
    uni.get_by_label("Move the deal to").select_option(label="Negotiating")
    uni.get_by_role("button", name="Move", exact=True).click()
    expect(uni.get_by_text("The deal moved on.")).to_be_visible()
    expect(stage(uni)).to_have_text("Negotiating")
    uni.get_by_role("link", name="Record the signed contract…").click()
    expect(uni.get_by_role("heading", name="Record the signed contract", level=1)).to_be_visible()
    uni.get_by_label("Type of technology contract").select_option(label="Technology transfer")
    uni.get_by_label("Contract value").fill("1200000")
    uni.get_by_label("Currency").select_option("CNY")
    expect(uni.get_by_label("Signed on")).to_have_value(today.isoformat())
    snap(uni, "13-contract-form")
    uni.get_by_role("button", name="Record the contract").click()
    expect(uni.get_by_text("Contract recorded")).to_be_visible()
    expect(stage(uni)).to_have_text("Contract signed")
    contract = uni.get_by_test_id("contract")
    expect(contract).to_contain_text("Technology transfer")
    expect(contract).to_contain_text("1,200,000.00 CNY")
    expect(contract).to_contain_text(today.isoformat())
    expect(uni.get_by_label("Move the deal to")).to_have_count(0)  # closed for good
    snap(uni, "14-contract-signed")

    # The enterprise sees it signed, and its contracts export lists it.
    ent.get_by_test_id("conversation-badge").click()
    expect(ent.get_by_test_id("conversation-list").get_by_test_id("deal-stage")).to_have_text(
        "Contract signed"
    )
    snap(ent, "15-conversations")
    exported = download(ent, ent.get_by_test_id("contract-export"))
    assert exported.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert len(rows) == 2, rows
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Contract type"] == "Technology transfer"
    assert row["Contract value"] == "1200000.00"
    assert row["Currency"] == "CNY"
    assert row["Signed on"] == today.isoformat()
    assert row["Technology provider"] == UNI[0]
    assert row["Client"] == ENT[0]
    assert row["Achievement"] == TITLE
    assert row["Contract name"] == TITLE  # the registration's default name
    assert row["Listing address"].endswith(listing_url)
    assert row["Recorded by"] == cast.university.full_name

    # 8. The centre's broker opens the reports of Guangdong: the deal is counted.
    broker = new_page()
    log_in(broker, cast.broker)
    nav(broker).get_by_role("link", name="Reports").click()
    expect(broker.get_by_role("heading", level=1)).to_have_text("Reports · Guangdong")
    headline = broker.get_by_test_id("headline").locator(".col")
    expect(headline.filter(has_text="Contracts signed").locator(".kq-stat")).to_have_text("1")
    value = headline.filter(has_text="Value (CNY)")
    expect(value.locator(".kq-stat")).to_have_text("1.2M")
    expect(value).to_contain_text("1,200,000.00")
    expect(table_row(broker, "interests", "Accepted")).to_have_text(["1"])
    expect(table_row(broker, "interests", "Waiting for an answer")).to_have_text(["0"])
    expect(table_row(broker, "interests", "All expressions of interest")).to_have_text(["1"])
    expect(table_row(broker, "deals", "Contract signed")).to_have_text(["1"])
    expect(table_row(broker, "deals", "Negotiating")).to_have_text(["0"])
    expect(table_row(broker, "deals", "All deals")).to_have_text(["1"])
    expect(table_row(broker, "conversations", "All conversations")).to_have_text(["1", "0", "1"])
    month = today.strftime("%Y-%m")
    expect(table_row(broker, "contracts", month)).to_have_text(["1", "1,200,000.00"])
    expect(table_row(broker, "contracts", "All contracts")).to_have_text(["1", "1,200,000.00"])
    snap(broker, "16-reports")
