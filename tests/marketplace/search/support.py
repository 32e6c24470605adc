"""Helpers of the search tests: listings of either kind, indexed, and reading a result page."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from tests.factories import field, make_achievement, make_challenge

KINDS = ("achievement", "challenge")

# Text that matches nothing the tests search for, so a listing is found only for what a test
# gives it. The default technical field of the factories is named "光刻与光刻胶 Lithography…",
# which would match many queries; agriculture is far from every term used here.
NEUTRAL = {
    "title": "水稻育种 rice breeding",
    "summary": "Drought-tolerant rice varieties.",
    "description": "Field trials over three seasons.",
    "keywords": ["水稻"],
}


def make(kind: str, org, *, trl: int | None = None, modes: list[str] | None = None, **kw):
    """A listing of ``kind`` (published unless told), indexed like the services do.

    ``trl`` is the achievement's TRL or the challenge's minimum TRL; ``modes`` the offered or
    wanted cooperation modes.
    """
    data = {**NEUTRAL, "fields": [field("agriculture-breeding")], **kw}
    if kind == "achievement":
        if trl is not None:
            data["trl"] = trl
        if modes is not None:
            data["transaction_modes"] = modes
        listing = make_achievement(org, **data)
    else:
        if trl is not None:
            data["min_trl"] = trl
        if modes is not None:
            data["cooperation_modes"] = modes
        listing = make_challenge(org, **data)
    return listing  # the factories index it, as the services would


def at_noon(days: int) -> datetime:
    """Noon of the day ``days`` from today (local time): far from any date boundary."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(12)))


def deadline_kw(kind: str, days: int) -> dict:
    """The deadline of a challenge, or the expiry of an achievement, ``days`` from today."""
    if kind == "achievement":
        return {"expires_at": at_noon(days)}
    return {"deadline": timezone.localdate() + timedelta(days=days)}


def day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def url(kind: str, query: str = "") -> str:
    path = reverse(f"search:{kind}_list")
    return f"{path}?{query}" if query else path


def get(client, kind: str, query: str = "", **headers):
    response = client.get(url(kind, query), **headers)
    assert response.status_code == 200, (query, response.status_code)
    return response


def found(response) -> list[int]:
    """The primary keys on the page, in order."""
    return [listing.pk for listing in response.context["results"].page.object_list]


def total(response) -> int:
    return response.context["results"].page.paginator.count


def search(client, kind: str, query: str = "") -> list[int]:
    return found(get(client, kind, query))


class _FormState(HTMLParser):
    """What a browser would submit from the form ``#search-form``: text inputs, checked boxes
    and the selected option of each select (its first option when none is selected)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._depth = 0  # > 0 while inside the search form
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if a.get("id") == "search-form":
                self._depth = 1
            elif self._depth:
                self._depth += 1
            return
        if not self._depth or a.get("form") not in (None, "search-form"):
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "file"):
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""

    def handle_data(self, data):
        if self._option_value is None and self._select and self._option_text is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self._depth:
            self._depth -= 1
        elif tag == "option" and self._select:
            value = self._option_value if self._option_value is not None else self._option_text
            self._options.append((value.strip(), self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            for value in chosen:
                self._add(self._select, value)
            self._select = None


def form_state(html: str) -> dict[str, list[str]]:
    """The non-empty values the search form would submit, by name."""
    parser = _FormState()
    parser.feed(html)
    return {k: [v for v in vs if v] for k, vs in parser.values.items() if any(vs)}
