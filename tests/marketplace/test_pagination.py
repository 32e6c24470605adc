"""marketplace.pagination: every ?page= gives a page."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from marketplace.pagination import paginate

ITEMS = list(range(25))  # three pages of 10: 10, 10, 5


def _page(query: str, items=ITEMS):
    return paginate(RequestFactory().get(f"/list/{query}"), items, 10)


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("", 1),
        ("?page=", 1),
        ("?page=2", 2),
        ("?page=3", 3),
        ("?page=%202%20", 2),
        ("?page=4", 3),  # past the end: the last page
        ("?page=99999999999999999999999", 3),
        ("?page=0", 1),  # before the start: the first page
        ("?page=-1", 1),
        ("?page=abc", 1),
        ("?page=2.5", 1),
        ("?page=1e3", 1),
        ("?page=NaN", 1),
        ("?page=" + "9" * 5000, 1),  # longer than Python parses as a number
        ("?page=2&page=3", 3),  # the last one given, as QueryDict.get reads it
    ],
)
def test_any_page_number_gives_a_page(query, number):
    page = _page(query)
    assert page.number == number
    assert list(page.object_list) == ITEMS[(number - 1) * 10 : number * 10]


def test_an_empty_list_has_one_empty_page():
    page = _page("?page=5", items=[])
    assert page.number == 1 and list(page.object_list) == []
    assert page.paginator.num_pages == 1
