"""Paging of long lists, with the page number read from the query string."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int | None = None) -> Page:
    paginator = Paginator(items, per_page or settings.BEACON_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
