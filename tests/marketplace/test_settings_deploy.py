"""The settings of a deployment across machines, each read by a fresh interpreter (the
settings are read once, at start-up): media on an S3-compatible store, the replica alias."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A deployment's environment; no server is contacted (settings only parse the URLs).
DEPLOYMENT = {
    "DATABASE_URL": "postgres://keqiao:pw@db-primary.internal:5432/keqiao",
    "DJANGO_SECRET_KEY": "tests-only-not-a-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
}
S3 = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "keqiao-media",
    "AWS_ACCESS_KEY_ID": "AKIATESTONLY",
    "AWS_SECRET_ACCESS_KEY": "secret-test-only",
    "AWS_S3_ENDPOINT_URL": "http://minio.internal:9000",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_S3_ADDRESSING_STYLE": "path",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage, storages
print(json.dumps({
    "storage": settings.STORAGES["default"],
    "class": type(storages["default"]).__name__,
    "url": default_storage.url("attachments/a.pdf"),
    "databases": sorted(settings.DATABASES),
    "replica": settings.DATABASES.get("replica"),
}))
"""


def settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_"))}
    keep.pop("DJANGO_MEDIA_STORAGE", None)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "marketplace.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(env: dict[str, str]) -> dict:
    result = settings_with(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_media_on_the_filesystem_by_default():
    found = probe(DEPLOYMENT)
    assert found["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert found["databases"] == ["default"]


def test_media_on_s3_from_the_aws_variables():
    found = probe({**DEPLOYMENT, **S3})
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["storage"]["OPTIONS"]
    assert options["bucket_name"] == "keqiao-media"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["default_acl"] is None  # never public
    assert options["file_overwrite"] is False
    # The storage Django uses is that one: a signed, expiring address in the bucket
    # (built offline, no request is made).
    assert found["class"] == "S3Storage"
    url = found["url"]
    assert url.startswith("http://minio.internal:9000/keqiao-media/media/attachments/a.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_MEDIA_STORAGE": "ftp"}, "DJANGO_MEDIA_STORAGE must be filesystem or s3"),
        ({"DJANGO_MEDIA_STORAGE": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_bad_media_storage_stops_the_start(env, message):
    result = settings_with({**DEPLOYMENT, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_replica_alias_from_its_url():
    found = probe(
        {**DEPLOYMENT, "DATABASE_REPLICA_URL": "postgres://reader:pw@db-replica.internal/keqiao"}
    )
    assert found["databases"] == ["default", "replica"]
    replica = found["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "db-replica.internal",
        "reader",
        "keqiao",
    )
    # The tests never create a database of its own for it.
    assert replica["TEST"]["MIRROR"] == "default"
    # The same session options as the primary (the search's typo threshold).
    assert "pg_trgm.word_similarity_threshold" in replica["OPTIONS"]["options"]


def test_a_replica_without_a_primary_url_stops_the_start():
    env = {"DATABASE_REPLICA_URL": "postgres://reader:pw@db-replica.internal/keqiao"}
    result = settings_with(env)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in result.stderr
