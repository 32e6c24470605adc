"""Abuse limits: who is asking (address, account), rate limits, the log-in lockout page.

Rate limits count requests in fixed windows in the ``limits`` cache, which every gunicorn
worker and machine shares (a PostgreSQL table by default, Redis when configured; see the
settings). A request over its limit is answered 429 with ``Retry-After`` and a page that
says, in the visitor's language, how long to wait; nothing is changed.

The log-in lockout is django-axes (settings ``AXES_*``); this module gives it the client's
address, a case-insensitive account name and the lockout page.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    address the outermost of them saw (only what our own proxies wrote is trusted)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    # None when there is no address at all (a log-in made in code, not by a request).
    return request.META.get("REMOTE_ADDR") or None


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a log-in names, as the log-in finds it (emails match in any case), so
    that ``A@x`` and ``a@x`` count as one account."""
    name = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None and request is not None:
        name = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(name or "").strip().lower()


def _retry_after_response(
    request: HttpRequest, *, template: str, seconds: int, context: dict[str, Any]
) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, template, {**context, "minutes": minutes}, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response


def seconds_left(period: int) -> int:
    """Seconds until the current fixed window of ``period`` seconds ends."""
    now = time.time()
    return max(1, math.ceil((int(now // period) + 1) * period - now))


def too_many_response(request: HttpRequest, *, seconds: int, message: Any = "") -> HttpResponse:
    """429 with ``Retry-After``: the rate-limit page, with the refusal's sentence if any."""
    return _retry_after_response(
        request, template="limits/rate_limited.html", seconds=seconds, context={"message": message}
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out log-in (site or admin): 429, how long to wait."""
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    return _retry_after_response(
        request,
        template="limits/locked_out.html",
        seconds=int(cooloff.total_seconds()),
        context={"failure_limit": settings.AXES_FAILURE_LIMIT},
    )


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``10/h``, ``20/10m``: the settings module has checked the shape."""
        match = re.fullmatch(r"(\d+)/(\d*)([smhd])", text.strip())
        if match is None:
            raise ValueError(f"Not a rate: {text!r}")
        number = int(match.group(2) or 1)
        return cls(count=int(match.group(1)), seconds=number * _PERIOD_SECONDS[match.group(3)])


def hit(scope: str, who: str, rate: Rate) -> int:
    """Count one request of ``who`` in ``scope``; 0 when it is within the rate, else the
    seconds until the window ends. The window is fixed (it starts at a multiple of its
    length), so the wait is never longer than the period."""
    now = time.time()
    window = int(now // rate.seconds)
    key = f"limits:{scope}:{who}:{window}"
    cache = caches["limits"]
    # ``add`` only creates the counter; ``incr`` is atomic in Redis and near enough in the
    # database cache (a burst may slip one or two over, never far).
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr: this request starts a new count.
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return 0
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def address_allowed(email: str) -> bool:
    """Count one email to an address against ``RATE_LIMITS["emails_to_address"]``; False
    when it is over: the email is not sent (the answer to the asker stays the same)."""
    if not settings.RATE_LIMITS_ENABLED:
        return True
    rate = Rate.parse(settings.RATE_LIMITS["emails_to_address"])
    return hit("emails-to-address", email.strip().lower(), rate) == 0


def requester(request: HttpRequest) -> str:
    """Signed-in people are counted by account (an office shares an address), visitors by
    address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Decorate a view: its ``methods`` requests count against ``RATE_LIMITS[scope]``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if settings.RATE_LIMITS_ENABLED and request.method in methods:
                rate = Rate.parse(settings.RATE_LIMITS[scope])
                wait = hit(scope, requester(request), rate)
                if wait:
                    return too_many_response(request, seconds=wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
