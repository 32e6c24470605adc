"""Where a webhook may be sent: HTTPS to a public address, never into our own network.

A member could otherwise make the server call its neighbours (the database, a cloud's
metadata service at 169.254.169.254). The address is checked when the endpoint is saved and
again before each request, since a name may later resolve elsewhere; redirects are never
followed (``services``). ``WEBHOOKS_ALLOW_PRIVATE`` (local development and tests) allows
private and loopback addresses, and plain http to them only.

The request then connects to the very address that was checked (``url_check`` returns it),
with the name kept for TLS, so a name that resolves elsewhere a moment later (DNS rebinding)
does not get past the check.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _addresses(host: str, port: int) -> list[IPAddress]:
    """The host's addresses: the literal, loopback for ``localhost``, else what it resolves
    to (none when it does not resolve: the request will fail and say so)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def url_check(url: str) -> tuple[str | None, list[IPAddress]]:
    """Why a webhook may not be sent to ``url`` (a sentence for the owner) or None, and the
    addresses checked (the ones to connect to; empty when the name does not resolve)."""
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return str(_("Enter a full address starting with https://.")), []
    parts = urlsplit(url)
    if parts.username or parts.password:
        return str(_("Leave the user name and password out of the address.")), []
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return str(_("The port of the address is not a number from 1 to 65535.")), []
    host = (parts.hostname or "").rstrip(".")
    addresses = _addresses(host, port)
    private = [a for a in addresses if not is_public(a)]
    if private and not settings.WEBHOOKS_ALLOW_PRIVATE:
        refusal = _("The address points to a private or local network; use a public address.")
        return str(refusal), []
    # Plain http only to a receiver on this machine or network, when that is allowed.
    local_only = bool(addresses) and len(private) == len(addresses)
    if parts.scheme != "https" and not (settings.WEBHOOKS_ALLOW_PRIVATE and local_only):
        return str(_("The address must start with https://.")), []
    return None, addresses


def url_refusal(url: str) -> str | None:
    """Why a webhook may not be sent to ``url`` (a sentence for the owner), or None."""
    return url_check(url)[0]
