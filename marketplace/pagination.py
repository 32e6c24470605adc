"""One way to cut a list into pages: ``paginate(request, items, per_page)``.

The page is ``?page=`` of the request. A number that is not a whole number, or is below 1,
gives the first page; one past the end gives the last: a list page answers its ``?page=``
with a page, never a 404 or a 500. The template ``includes/pagination.html`` links the pages
(with ``query``, the list's other parameters, in its context).
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_PARAMETER = "page"


class _CountedPaginator(Paginator):
    """A paginator told the number of items (counted already, with other figures)."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def paginate(
    request: HttpRequest | QueryDict,
    items: QuerySet | list,
    per_page: int,
    *,
    count: int | None = None,
) -> Page:
    """The page of ``items`` (a queryset, ordered, or a list) that the request (or its query
    parameters) asks for. ``count``: the number of items, when the caller counted them
    already (then one query, the page's rows; else two).
    """
    params = request.GET if isinstance(request, HttpRequest) else request
    try:
        number = int(params.get(PAGE_PARAMETER, ""))
    except ValueError:
        number = 1
    if count is None:
        paginator = Paginator(items, per_page)
    else:
        paginator = _CountedPaginator(items, per_page, count=count)
    # get_page gives the last page for a number past it (and the first for an empty list).
    return paginator.get_page(max(number, 1))
