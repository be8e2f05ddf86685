"""The one pager of every list page.

    page = paginate(request, tasks_queryset, per_page=30)
    return render(request, "…", {"page": page, "tasks": page.object_list})

and in the template, under the list: ``{% include "web/_pager.html" %}`` (it reads ``page``).

The page number is what anyone can type: a number beyond the last answers the last page, one below
the first (or empty) the first, and text that is not a number the first page with a Chinese message
(``page.problem``, which the partial shows) — never a 404 or a 500. ``page.query`` is the request's
query string without ``page`` (``"unit=3&q=殡葬"``), so the pager's links keep the filters on screen;
``page.query_prefix`` is the same followed by ``&`` (or empty) for building ``?{{ prefix }}page=N``.

The queryset is counted once (``COUNT``) and one page of it is fetched (``LIMIT/OFFSET``): the list is
never built whole in Python. Give it an ordered queryset (Django warns about an unordered one).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 30
MAX_PER_PAGE = 200
PAGE_PARAM = "page"


class ListPage(Page):
    """A Django Page that also knows the query string it came from and a problem to tell the user."""

    query: str = ""
    problem: str = ""
    param: str = PAGE_PARAM

    @property
    def query_prefix(self) -> str:
        return f"{self.query}&" if self.query else ""

    @property
    def start_number(self) -> int:
        """The row number (1-based) of this page's first row, for numbering rows across pages."""
        return self.start_index()


class Counted:
    """A queryset paged with a count the page has already read (from the counts its cards show): the pager
    runs no COUNT of its own, and the page's rows are one LIMIT/OFFSET query of ``queryset``."""

    def __init__(self, queryset: Any, count: int) -> None:
        self.queryset = queryset
        self._count = count
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: Any) -> Any:
        return self.queryset[key]


class _ListPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        return ListPage(*args, **kwargs)


def _requested_number(raw: str) -> tuple[int, str]:
    """(number, problem): the number asked for, or 1 and a message when it is not one."""
    text = raw.strip()
    if not text:
        return 1, ""
    # str.isdigit() accepts '²' and other digits int() refuses or reads differently: ASCII only.
    if not (text.isascii() and text.isdigit()):
        return 1, f"页码“{raw[:20]}”无效，已显示第 1 页。"
    if len(text) > 12:  # far beyond any last page (and int() of thousands of digits refuses)
        return 10**12, ""
    return max(int(text), 1), ""


def paginate(request: HttpRequest, queryset: Any, *, per_page: int = PER_PAGE, param: str = PAGE_PARAM) -> ListPage:
    """One page of ``queryset`` for ``request`` (its ``?page=``), with the query string kept.

    A page with two lists pages the second by a parameter of its own (``param="done_page"``); each
    list's pager keeps the other's page number in its links."""
    paginator = _ListPaginator(queryset, min(max(per_page, 1), MAX_PER_PAGE))
    number, problem = _requested_number(request.GET.get(param, ""))
    # get_page answers the nearest page for any number out of range, and page 1 of an empty list.
    page = paginator.get_page(number)
    assert isinstance(page, ListPage)
    params = request.GET.copy()
    params.pop(param, None)
    page.query = params.urlencode()
    page.problem = problem
    page.param = param
    return page
