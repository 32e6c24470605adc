"""Uploads are judged by their bytes against their extension (marketplace/uploads/content.py),
and a refused file leaves nothing behind: no row, no file in storage."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from marketplace.deals.models import MessageAttachment
from marketplace.listings.records import Attachment
from marketplace.refusals import Refused
from marketplace.uploads.content import IMPORT_KINDS, content_type_of
from tests import factories

from .samples import DOCX, JPEG, ODT, OLE2, PDF, PLAIN_ZIP, PNG, PPTX, XLSX, upload

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("spec.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        (
            "report.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("sheet.xlsx", XLSX, XLSX_TYPE),
        (
            "slides.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("letter.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("old.doc", OLE2, "application/msword"),
        ("old.xls", OLE2, "application/vnd.ms-excel"),
        ("old.ppt", OLE2, "application/vnd.ms-powerpoint"),
        # Word saves RTF as .doc when asked to; many official forms come that way.
        ("form.doc", "{\\rtf1\\ansi 申请表}".encode(), "application/rtf"),
        ("bundle.zip", PLAIN_ZIP, "application/zip"),
        # An Office file is a zip: sent as one, it is one.
        ("bundle.zip", DOCX, "application/zip"),
        ("notes.txt", "实验记录 notes\n".encode(), "text/plain; charset=utf-8"),
        ("notes.txt", "\ufeff带BOM的文本\r\n".encode(), "text/plain; charset=utf-8"),
        (
            "data.csv",
            "成果名称,联系人\n钙钛矿电池,张三\n".encode("gb18030"),
            "text/csv; charset=gb18030",
        ),
        # Text may begin with what filetype takes for a bitmap ("BM") or a program ("MZ").
        ("codes.csv", b"BM,MZ\n1,2\n", "text/csv; charset=utf-8"),
    ],
)
def test_files_that_are_what_they_say_are_accepted(name, content, content_type):
    assert content_type_of(upload(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("spec.pdf", PNG, "This is not a PDF document. Its content is a .png file."),
        ("photo.png", PDF, "This is not a PNG image. Its content is a .pdf file."),
        ("photo.jpg", b"<svg onload=alert(1)>", "This is not a JPEG image."),
        # A zip renamed .docx, a workbook renamed .docx, a zip without content types.
        ("report.docx", PLAIN_ZIP, "This is not a Word .docx document."),
        ("report.docx", XLSX, "This is not a Word .docx document."),
        ("sheet.xlsx", DOCX, "This is not an Excel .xlsx workbook."),
        ("sheet.xlsx", b"PK\x03\x04 broken", "This is not an Excel .xlsx workbook."),
        ("slides.pptx", PDF, "This is not a PowerPoint .pptx presentation."),
        ("letter.odt", PLAIN_ZIP, "This is not an OpenDocument .odt text."),
        ("old.doc", PDF, "This is not a Word .doc document."),
        ("old.xls", b"{\\rtf1\\ansi x}", "This is not an Excel .xls workbook."),
        ("bundle.zip", PDF, "This is not a zip archive."),
        ("notes.txt", PNG, "neither UTF-8 nor GB18030"),
        ("notes.txt", PDF, "neither UTF-8 nor GB18030"),
        ("notes.txt", b"abc\x00def", "neither UTF-8 nor GB18030"),
        ("data.csv", b"\xff\xfe\x00\x00bad", "The CSV file is neither UTF-8 nor GB18030 text."),
        ("virus.exe", b"MZ\x90\x00", "Files of type .exe are not accepted"),
        ("noextension", PDF, "Files of type ? are not accepted"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(name, content, message):
    with pytest.raises(Refused) as refused:
        content_type_of(upload(name, content))
    assert refused.value.status == 400
    assert message in str(refused.value)


def test_a_file_on_disk_is_checked_as_one_in_memory(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = TemporaryUploadedFile("sheet.xlsx", "application/zip", len(XLSX), None)
    big.write(XLSX)
    big.seek(0)
    assert content_type_of(big) == XLSX_TYPE
    # The check leaves the file where a parser expects it: at its start.
    assert big.read(2) == b"PK"


def test_imports_take_only_spreadsheets():
    assert content_type_of(upload("list.csv", b"a,b\n"), IMPORT_KINDS).startswith("text/csv")
    with pytest.raises(Refused, match="not accepted"):
        content_type_of(upload("list.pdf", PDF), IMPORT_KINDS)


@pytest.mark.django_db
def test_a_pdf_that_is_a_png_is_refused_and_nothing_is_stored(
    client_for, uni_user, university, settings
):
    listing = factories.make_achievement(university)
    response = client_for(uni_user).post(
        reverse("listings:achievement_attachment_upload", args=[listing.pk]),
        {"file": upload("spec.pdf", PNG, "application/pdf"), "title": "Spec"},
        follow=True,
    )
    assert any("not a PDF document" in str(m) for m in response.context["messages"])
    assert Attachment.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_the_detected_type_is_stored_not_the_browsers(client_for, uni_user, university):
    listing = factories.make_achievement(university)
    client_for(uni_user).post(
        reverse("listings:achievement_attachment_upload", args=[listing.pk]),
        {"file": upload("photo.png", PNG, "text/html"), "title": "Photo"},
    )
    assert Attachment.objects.get().content_type == "image/png"


@pytest.mark.django_db
def test_gb18030_text_is_accepted_in_a_message(conversation, ent_user, client_for):
    text = "技术参数：转换效率 25%\n".encode("gb18030")
    response = client_for(ent_user).post(
        reverse("deals:message_send", args=[conversation.pk]),
        {"body": "参数见附件", "files": [upload("参数.txt", text, "text/plain")]},
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert attachment.content_type == "text/plain; charset=gb18030"


@pytest.mark.django_db
def test_a_mismatched_message_file_refuses_the_whole_message(conversation, ent_user, client_for):
    response = client_for(ent_user).post(
        reverse("deals:message_send", args=[conversation.pk]),
        {"body": "Two files", "files": [upload("a.pdf", PDF), upload("b.docx", PLAIN_ZIP)]},
    )
    assert response.status_code == 400
    assert "b.docx: This is not a Word .docx document." in response.content.decode()
    assert MessageAttachment.objects.count() == 0
    assert not conversation.messages.exists()


@pytest.mark.django_db
def test_a_service_caller_without_a_form_is_checked_too(achievement, uni_user):
    from marketplace.listings.services import attachment_add

    with pytest.raises(Refused, match="not a PDF document"):
        attachment_add(
            listing=achievement,
            user=uni_user,
            file=upload("spec.pdf", PNG),
            title="x",
            is_confidential=False,
        )
    assert Attachment.objects.count() == 0
