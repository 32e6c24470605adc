"""Stored files are served as downloads only (marketplace/uploads/downloads.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.deals import services as deal_services
from marketplace.listings.services import attachment_add
from marketplace.uploads.downloads import content_disposition

from .samples import PDF, PNG, upload

pytestmark = pytest.mark.django_db


def _assert_download_headers(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache


def test_a_listing_attachment_is_a_download_with_its_chinese_name(
    achievement, uni_user, client_for
):
    attachment = attachment_add(
        listing=achievement,
        user=uni_user,
        file=upload("技术说明.pdf", PDF, "text/html"),
        title="说明",
        is_confidential=False,
    )
    response = client_for(None).get(reverse("listings:attachment_download", args=[attachment.pk]))
    _assert_download_headers(response, "application/pdf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''%E6%8A%80%E6%9C%AF%E8%AF%B4%E6%98%8E.pdf" in disposition
    assert b"".join(response.streaming_content) == PDF


def test_a_message_attachment_is_a_download(conversation, ent_user, client_for):
    message = deal_services.message_send(
        conversation=conversation, user=ent_user, body="", files=[upload("photo.png", PNG)]
    )
    attachment = message.attachments.get()
    response = client_for(ent_user).get(
        reverse("deals:message_attachment_download", args=[attachment.pk])
    )
    _assert_download_headers(response, "image/png")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png"
    )


def test_a_file_from_before_the_check_is_served_as_octet_stream(achievement, uni_user, client_for):
    attachment = attachment_add(
        listing=achievement,
        user=uni_user,
        file=upload("a.pdf", PDF),
        title="",
        is_confidential=False,
    )
    type(attachment).objects.filter(pk=attachment.pk).update(content_type="")
    response = client_for(uni_user).get(
        reverse("listings:attachment_download", args=[attachment.pk])
    )
    _assert_download_headers(response, "application/octet-stream")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"),
        # A quote or a line break can never end the header's value early.
        (
            'a"b\r\nSet-Cookie: x.pdf',
            'attachment; filename="a_b__Set-Cookie: x.pdf"; '
            "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.pdf",
        ),
        ("成果.pdf", "attachment; filename=\".pdf\"; filename*=UTF-8''%E6%88%90%E6%9E%9C.pdf"),
        ("报告", "attachment; filename=\"download\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A"),
    ],
)
def test_content_disposition(name, expected):
    assert content_disposition(name) == expected
