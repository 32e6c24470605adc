"""Markup the Nu validator checks: ``<time datetime>`` values without microseconds, a
description list's terms before their descriptions, htmx attributes in their valid
``data-hx-*`` form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from marketplace.deals import services

pytestmark = pytest.mark.django_db

VALID_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$")


def test_time_elements_carry_valid_datetimes(conversation, uni_user, client_for):
    services.message_send(conversation=conversation, user=uni_user, body="Hello", files=[])
    html = client_for(uni_user).get(conversation.get_absolute_url()).content.decode()
    values = re.findall(r'<time[^>]*datetime="([^"]+)"', html)
    assert values
    assert all(VALID_DATETIME.match(value) for value in values), values


def test_home_page_terms_come_before_their_descriptions(client_for):
    html = client_for(None).get(reverse("home")).content.decode()
    dl = html[html.index("<dl") : html.index("</dl>")]
    assert dl.index("<dt") < dl.index("<dd")
    assert " hx-" not in html
