"""What an uploaded file really is: its bytes judged against its extension.

A name says nothing about content, and a browser's ``Content-Type`` is whatever the sender
wrote; so each accepted extension has a check of the bytes (magic numbers through the
``filetype`` package, the structure of Office zips, text that decodes) and its own content
type, which is what we store and serve. A file that fails is refused (``Refused.bad_input``)
before anything is written.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from marketplace.refusals import Refused

# ``filetype`` looks at most this many bytes from the start.
HEAD_BYTES = 8192
# The signature of OLE2 compound files: the Office 97-2003 formats (.doc, .xls, .ppt).
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_SIGNATURE = b"{\\rtf"
RTF = "application/rtf"
# Encodings taken for plain text, in the order tried: UTF-8 (with or without a byte-order
# mark) and GB18030, which is what Chinese Windows writes (a superset of GBK and GB2312).
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
# Control characters that real text files contain; any other C0 control means binary.
TEXT_CONTROLS = frozenset("\t\n\r\f")
# What ``filetype`` recognises by a signature long enough never to start real text (a CSV
# may well begin with "BM" or "MZ", which it takes for a bitmap or a program).
BINARY_NOT_TEXT = frozenset(
    {"pdf", "png", "jpg", "gif", "zip", "gz", "rar", "7z", "doc", "xls", "ppt", "docx", "xlsx"}
    | {"pptx", "odt", "ods", "odp", "elf", "sqlite"}
)
# The attribute an upload carries once checked, so that a service need not read it again.
CHECKED = "keqiao_content_type"


Check = Callable[[UploadedFile, bytes], "str | None"]


@dataclass(frozen=True)
class Kind:
    """One accepted extension and how its bytes are checked: ``check`` takes the upload and
    its first bytes and returns the content type to store, or None if they are not of this
    kind."""

    check: Check
    # What to say when the bytes are not of this kind.
    mismatch: str


def _magic(mime: str) -> Check:
    def check(upload: UploadedFile, head: bytes) -> str | None:
        guessed = filetype.guess(head)
        return mime if guessed is not None and guessed.mime == mime else None

    return check


def _ole2(mime: str, *, or_rtf: bool = False) -> Check:
    def check(upload: UploadedFile, head: bytes) -> str | None:
        if head.startswith(OLE2_SIGNATURE):
            return mime
        # Word has long saved RTF under .doc (as are many forms handed out in China).
        return RTF if or_rtf and head.startswith(RTF_SIGNATURE) else None

    return check


def _zip_names(upload: UploadedFile) -> list[str] | None:
    """The member names of a zip (nothing is decompressed), or None if it is no zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload.file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _zip(upload: UploadedFile, head: bytes) -> str | None:
    return "application/zip" if _zip_names(upload) is not None else None


def _office_open_xml(mime: str, folder: str) -> Check:
    """A Word, Excel or PowerPoint file is a zip with ``[Content_Types].xml`` and its part
    folder (``word/``, ``xl/``, ``ppt/``); a zip renamed ``.docx`` has neither."""

    def check(upload: UploadedFile, head: bytes) -> str | None:
        names = _zip_names(upload)
        if not names or "[Content_Types].xml" not in names:
            return None
        return mime if any(n.startswith(folder) for n in names) else None

    return check


def _open_document(mime: str) -> Check:
    """An OpenDocument file is a zip whose first member, ``mimetype``, stored uncompressed,
    names its type: the bytes at offset 30 of the file (ISO/IEC 26300, 17.4)."""
    marker = b"mimetype" + mime.encode("ascii")

    def check(upload: UploadedFile, head: bytes) -> str | None:
        if head[30 : 30 + len(marker)] != marker or _zip_names(upload) is None:
            return None
        return mime

    return check


def _text(mime: str) -> Check:
    """Text in UTF-8 or GB18030 without binary control characters; the charset found is
    kept in the content type so that the file is served as it was written."""

    def check(upload: UploadedFile, head: bytes) -> str | None:
        guessed = filetype.guess(head)
        if guessed is not None and guessed.extension in BINARY_NOT_TEXT:
            return None
        for encoding in TEXT_ENCODINGS:
            if _decodes(upload.chunks(), encoding):
                return f"{mime}; charset={'utf-8' if encoding == 'utf-8-sig' else encoding}"
        return None

    return check


def _decodes(chunks: Iterable[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in chunks:
            text = decoder.decode(chunk)
            if any(c < " " and c not in TEXT_CONTROLS for c in text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


NOT_TEXT = _("The file is neither UTF-8 nor GB18030 text.")

# Every extension the site takes for attachments (listings and messages).
ATTACHMENT_KINDS: dict[str, Kind] = {
    ".pdf": Kind(_magic("application/pdf"), _("This is not a PDF document.")),
    ".png": Kind(_magic("image/png"), _("This is not a PNG image.")),
    ".jpg": Kind(_magic("image/jpeg"), _("This is not a JPEG image.")),
    ".jpeg": Kind(_magic("image/jpeg"), _("This is not a JPEG image.")),
    ".zip": Kind(_zip, _("This is not a zip archive.")),
    ".doc": Kind(_ole2("application/msword", or_rtf=True), _("This is not a Word .doc document.")),
    ".xls": Kind(_ole2("application/vnd.ms-excel"), _("This is not an Excel .xls workbook.")),
    ".ppt": Kind(
        _ole2("application/vnd.ms-powerpoint"), _("This is not a PowerPoint .ppt presentation.")
    ),
    ".docx": Kind(
        _office_open_xml(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"
        ),
        _("This is not a Word .docx document."),
    ),
    ".xlsx": Kind(
        _office_open_xml(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"
        ),
        _("This is not an Excel .xlsx workbook."),
    ),
    ".pptx": Kind(
        _office_open_xml(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"
        ),
        _("This is not a PowerPoint .pptx presentation."),
    ),
    ".odt": Kind(
        _open_document("application/vnd.oasis.opendocument.text"),
        _("This is not an OpenDocument .odt text."),
    ),
    ".txt": Kind(_text("text/plain"), NOT_TEXT),
    ".csv": Kind(_text("text/csv"), _("The CSV file is neither UTF-8 nor GB18030 text.")),
}
ATTACHMENT_EXTENSIONS = frozenset(ATTACHMENT_KINDS)
# Spreadsheet imports of listings (marketplace/bulk).
IMPORT_KINDS: dict[str, Kind] = {e: ATTACHMENT_KINDS[e] for e in (".csv", ".xlsx")}


def extension_of(upload: UploadedFile) -> str:
    return os.path.splitext(upload.name or "")[1].lower()


def content_type_of(upload: UploadedFile, kinds: dict[str, Kind] = ATTACHMENT_KINDS) -> str:
    """The content type of ``upload``, checked by its bytes against its extension; Refused
    (bad input) when the extension is not taken or the bytes are not of that kind. The
    result is remembered on the upload (a service may ask again for free)."""
    extension = extension_of(upload)
    cached = getattr(upload, CHECKED, None)
    if cached is not None and cached[0] == extension:
        return cached[1]
    kind = kinds.get(extension)
    if kind is None:
        raise Refused.bad_input(
            _("Files of type %(ext)s are not accepted. Use one of: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(kinds))}
        )
    head = _head(upload)
    content_type = kind.check(upload, head)
    upload.seek(0)
    if content_type is None:
        raise Refused.bad_input(_mismatch(kind, extension, head))
    setattr(upload, CHECKED, (extension, content_type))
    return content_type


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _mismatch(kind: Kind, extension: str, head: bytes) -> str:
    guessed = filetype.guess(head)
    if guessed is not None and f".{guessed.extension}" != extension:
        return _("%(mismatch)s Its content is a .%(actual)s file.") % {
            "mismatch": kind.mismatch,
            "actual": guessed.extension,
        }
    return str(kind.mismatch)


def validate_attachment(upload: UploadedFile) -> UploadedFile:
    """The form check of every attached file (listings and messages): an accepted extension,
    at most ``ATTACHMENT_MAX_MB``, not empty, and bytes that are what the extension says.
    Raises ``forms.ValidationError``; the upload is returned with its content type checked."""
    extension = extension_of(upload)
    if extension not in ATTACHMENT_KINDS:
        raise forms.ValidationError(
            _("Files of type %(ext)s are not accepted. Use one of: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    try:
        content_type_of(upload)
    except Refused as refusal:
        raise forms.ValidationError(refusal.messages()) from None
    return upload
