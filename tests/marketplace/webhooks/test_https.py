"""The real thing over TLS: a receiver with a certificate for its name, which the sender
verifies while connecting to the checked address."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess

import pytest

from marketplace.webhooks import services
from marketplace.webhooks.signing import signature_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=hooks.example",
            "-addext",
            "subjectAltName=DNS:hooks.example",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_receiver(receiver, certificate, monkeypatch):
    """The receiver behind TLS, ``hooks.example`` resolving to it, and the sender trusting
    the test certificate (only)."""
    cert, key = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    receiver.down()
    receiver.up(wrap=lambda sock: server_context.wrap_socket(sock, server_side=True))
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "hooks.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", receiver.port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    default_context = ssl.create_default_context
    monkeypatch.setattr(
        services.ssl, "create_default_context", lambda: default_context(cafile=cert)
    )
    return receiver


def test_a_delivery_over_https_verifies_the_certificate_and_the_signature(
    university, uni_user, tls_receiver
):
    endpoint, secret = services.endpoint_create(
        organization=university,
        user=uni_user,
        url=f"https://hooks.example:{tls_receiver.port}/hooks",
        events=["interest.received"],
    )
    [delivery] = services.webhooks_announce(
        organization_id=university.pk,
        event_type="interest.received",
        key="interest:1:received",
        data={"interest": {"id": 1}},
    )
    assert services.webhook_deliver(delivery_id=delivery.pk) == "delivered"
    [request] = tls_receiver.requests
    assert signature_verify(secret, request["headers"]["X-Keqiao-Signature"], request["body"])


def test_a_certificate_for_another_name_is_a_failed_attempt(
    university, uni_user, tls_receiver, monkeypatch
):
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "other.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", tls_receiver.port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    endpoint, _ = services.endpoint_create(
        organization=university,
        user=uni_user,
        url=f"https://other.example:{tls_receiver.port}/hooks",
        events=["interest.received"],
    )
    [delivery] = services.webhooks_announce(
        organization_id=university.pk,
        event_type="interest.received",
        key="interest:1:received",
        data={},
    )
    with pytest.raises(services.WebhookRetry):
        services.webhook_deliver(delivery_id=delivery.pk)
    assert tls_receiver.requests == []
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.attempt_log.get().error
