"""A 403 is logged as one line with its reason, not a traceback (marketplace/logging_filters.py)."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from marketplace.logging_filters import ForbiddenInOneLine
from marketplace.refusals import Refused
from tests import factories

from .samples import PDF, upload


@pytest.mark.django_db
def test_a_permission_denied_logs_one_line(client_for, ent_user, university, caplog):
    listing = factories.make_achievement(university)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(ent_user).post(
            reverse("listings:achievement_attachment_upload", args=[listing.pk]),
            {"file": upload("spec.pdf", PDF), "title": "x"},
        )
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    text = logging.Formatter().format(record)
    assert "\n" not in text
    assert text.startswith("Forbidden (Permission denied): /")
    assert "PermissionDenied: Only members of the organisation that owns it can do this." in text


def _record(exc: BaseException, status: int) -> logging.LogRecord:
    try:
        raise exc
    except BaseException:
        import sys

        return logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Forbidden: %s",
            ("/x/",),
            sys.exc_info(),
        )


def test_a_refused_403_loses_its_traceback():
    record = _record(Refused.forbidden("Not yours."), 403)
    ForbiddenInOneLine().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == "Forbidden: /x/ (Refused: Not yours.)"


def test_a_real_error_keeps_its_traceback():
    record = _record(ValueError("boom"), 500)
    record.status_code = 500
    ForbiddenInOneLine().filter(record)
    assert record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)
