"""Where webhooks may go: https to public addresses; private ones only when allowed."""

from __future__ import annotations

import pytest

from marketplace.webhooks.addresses import url_refusal


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.1/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://0.0.0.0/hooks",
    ],
)
def test_private_and_loopback_addresses_are_refused(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert "private" in url_refusal(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hooks",
        "ftp://93.184.216.34/hooks",
        "not an address",
        "https://user:pw@93.184.216.34/hooks",
        "https://93.184.216.34:99999/hooks",
        "",
    ],
)
def test_anything_but_a_plain_https_address_is_refused(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert url_refusal(url)


def test_a_public_https_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert url_refusal("https://93.184.216.34/hooks") is None


def test_allowed_private_addresses_may_use_plain_http_but_public_ones_may_not(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert url_refusal("http://127.0.0.1:8080/hooks") is None
    assert url_refusal("https://10.0.0.5/hooks") is None
    assert url_refusal("http://93.184.216.34/hooks")
