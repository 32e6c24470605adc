"""The signature a receiver checks."""

from __future__ import annotations

import hashlib
import hmac

from marketplace.webhooks.signing import signature_header, signature_verify


def test_the_signature_is_an_hmac_of_time_dot_body():
    header = signature_header("whsec_x", b'{"a":1}', timestamp=1700000000)
    expected = hmac.new(b"whsec_x", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert signature_verify("whsec_x", header, b'{"a":1}', now=1700000010)


def test_a_changed_body_another_secret_an_old_time_or_garbage_do_not_verify():
    header = signature_header("whsec_x", b"body", timestamp=1700000000)
    assert not signature_verify("whsec_x", header, b"body!", now=1700000000)
    assert not signature_verify("whsec_y", header, b"body", now=1700000000)
    assert not signature_verify("whsec_x", header, b"body", now=1700000000 + 301)
    assert not signature_verify("whsec_x", "nonsense", b"body", now=1700000000)
