"""Bodies are refused by their Content-Length before anything reads them
(marketplace/uploads/limits.py): 413 over the view's limit, 411 for a multipart body
without a length, 400 for a length that is no number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.bulk import views as bulk_views
from marketplace.deals.services import MAX_FILES_PER_MESSAGE
from marketplace.deals.views import conversation as conversation_views
from marketplace.listings import views as listing_views
from marketplace.uploads.limits import MULTIPART_OVERHEAD, body_limit
from tests import factories

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
MULTIPART = "multipart/form-data; boundary=----keqiao"


class UnreadableBody:
    """A request body that records any attempt to read it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args, **kwargs) -> bytes:
        self.reads += 1
        raise AssertionError("the body was read")

    readline = read

    def __iter__(self):
        self.reads += 1
        raise AssertionError("the body was read")


def _post(client, url, *, length: str, content_type: str = MULTIPART):
    body = UnreadableBody()
    response = client.post(
        url,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=length,
        **{"wsgi.input": body},
    )
    return response, body


@pytest.fixture
def upload_url(university):
    listing = factories.make_achievement(university)
    return reverse("listings:achievement_attachment_upload", args=[listing.pk])


def test_a_21_mb_attachment_is_refused_unread(client_for, uni_user, upload_url, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * MB
    response, body = _post(client_for(uni_user), upload_url, length=str(21 * MB))
    assert response.status_code == 413
    assert body.reads == 0
    page = response.content.decode()
    # Both languages, whatever the visitor's: the page is rendered before the session.
    assert "The upload is too large" in page
    assert "上传的文件太大" in page
    assert "20 MB" in page


def test_a_body_within_the_limit_reaches_the_view(client_for, uni_user, upload_url, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * MB
    # Not refused by size: the view runs (and finds no file in the empty body).
    response, _body = _post(client_for(uni_user), upload_url, length="0")
    assert response.status_code == 302


def test_a_visitor_is_refused_by_size_before_anything_else(client_for, upload_url):
    response, body = _post(client_for(None), upload_url, length=str(200 * MB))
    assert response.status_code == 413
    assert body.reads == 0


def test_a_view_that_takes_no_files_has_the_small_default(client_for, uni_user, settings):
    settings.UPLOAD_DEFAULT_MAX_BYTES = 5 * MB
    url = reverse("accounts:login")
    response, body = _post(client_for(None), url, length=str(6 * MB))
    assert response.status_code == 413
    assert body.reads == 0
    assert "5 MB" in response.content.decode()


def test_the_import_limit_is_its_own(client_for, uni_user, settings):
    settings.IMPORT_MAX_BYTES = 1 * MB
    url = reverse("bulk:import_list")
    response, body = _post(client_for(uni_user), url, length=str(2 * MB))
    assert response.status_code == 413
    assert body.reads == 0


def test_each_view_that_takes_files_is_marked(settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * MB
    settings.IMPORT_MAX_BYTES = 10 * MB
    settings.UPLOAD_DEFAULT_MAX_BYTES = 5 * MB
    assert body_limit(listing_views.attachment_upload) == 20 * MB + MULTIPART_OVERHEAD
    assert (
        body_limit(conversation_views.message_send)
        == MAX_FILES_PER_MESSAGE * 20 * MB + MULTIPART_OVERHEAD
    )
    assert body_limit(bulk_views.import_list) == 10 * MB + MULTIPART_OVERHEAD
    assert body_limit(listing_views.listing_create) == 5 * MB


def test_a_multipart_body_without_a_length_is_refused_411(client_for, uni_user, upload_url):
    response, body = _post(client_for(uni_user), upload_url, length="")
    assert response.status_code == 411
    assert body.reads == 0
    assert "Content-Length" in response.content.decode()


def test_a_chunked_body_without_a_length_is_refused_411(client_for, uni_user, upload_url):
    body = UnreadableBody()
    response = client_for(uni_user).post(
        upload_url,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body},
    )
    assert response.status_code == 411
    assert body.reads == 0


@pytest.mark.parametrize("length", ["abc", "-1", "1e9"])
def test_a_length_that_is_no_number_is_refused_400(client_for, uni_user, upload_url, length):
    response, body = _post(client_for(uni_user), upload_url, length=length)
    assert response.status_code == 400
    assert body.reads == 0


def test_a_get_without_a_body_passes(client_for, uni_user):
    assert client_for(uni_user).get(reverse("listings:dashboard")).status_code == 200
