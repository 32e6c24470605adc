"""One way to cut a list into pages: ``paginate(request, items, per_page)``.

The page is ``?page=`` of the request. A number that is not a whole number, or is below 1,
gives the first page; one past the end gives the last: a list page answers its ``?page=``
with a page, never a 404 or a 500. The template ``includes/pagination.html`` links the pages
(with ``query``, the list's other parameters, in its context).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "page"


def paginate(request: HttpRequest, items: QuerySet | list, per_page: int) -> Page:
    """The page of ``items`` (a queryset, ordered, or a list) that the request asks for.

    Costs two queries on a queryset: the count and the page's rows."""
    try:
        number = int(request.GET.get(PAGE_PARAMETER, ""))
    except ValueError:
        number = 1
    # get_page gives the last page for a number past it (and the first for an empty list).
    return Paginator(items, per_page).get_page(max(number, 1))
