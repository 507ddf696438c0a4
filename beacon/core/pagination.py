"""Paging of long lists, with the page number read from the query string."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(
    request: HttpRequest, items, per_page: int | None = None, *, param: str = "page"
) -> Page:
    """One page of `items`, its number read from `?<param>=`; a page holding several lists
    gives each its own `param`, so paging one keeps the others where they are."""
    paginator = Paginator(items, per_page or settings.BEACON_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(param))
    page.param = param  # type: ignore[attr-defined]  # read by the pagination macro
    return page


def page_link(request: HttpRequest, number: int, param: str = "page") -> str:
    """The link to page `number`, keeping every filter (and other lists' pages) as they are."""
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()
