"""Uploads show their progress: the form's file goes by XMLHttpRequest with a progress bar,
then the page shows the server's answer (the redirect, or the form with its errors)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories

from .helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 200_000


def _upload(page: Page, name: str, content: bytes) -> None:
    form = page.locator("form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        form.get_by_role("button", name="Upload").click()


def test_an_attachment_uploads_with_progress_and_lands_on_the_listing(page: Page, uni_user):
    listing = factories.make_achievement(uni_user.membership.organization, user=uni_user)
    log_in(page, uni_user)
    page.goto(listing.get_absolute_url())
    bar = page.locator("progress[data-upload-progress]")
    expect(bar).to_be_hidden()
    _upload(page, "spec-sheet.pdf", PDF)
    expect(page.get_by_text("The file was attached.")).to_be_visible()  # the answer's message
    expect(page.get_by_text("spec-sheet.pdf").first).to_be_visible()
    expect(page).to_have_url(listing.get_absolute_url())


def test_a_refused_file_shows_the_form_with_its_error(page: Page, uni_user):
    listing = factories.make_achievement(uni_user.membership.organization, user=uni_user)
    log_in(page, uni_user)
    page.goto(listing.get_absolute_url())
    _upload(page, "not-a.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    expect(page.get_by_text("This is not a PDF document").first).to_be_visible()
