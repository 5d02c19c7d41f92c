from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class CountingPaginator(Paginator):
    """Django's Paginator, reading the page before counting: a page with room left on it is the last,
    so the count is what comes before it plus its rows, and no COUNT(*) runs. Only a full page (there
    may be more) or a page past the end counts as Django's does. Pages, counts and errors are Django's.
    """

    def page(self, number):
        if self.orphans or "count" in vars(self) or not isinstance(number, int | str):
            return super().page(number)
        try:
            wanted = int(number)
        except ValueError:
            return super().page(number)
        if wanted < 1:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if len(rows) == self.per_page:  # a full page: there may be more, so count
            return self._get_page(rows, wanted, self)
        if not rows and (wanted > 1 or not self.allow_empty_first_page):
            return super().page(number)  # past the end: Django's EmptyPage
        self.count = bottom + len(rows)  # the cached property, known without a query
        return self._get_page(rows, wanted, self)


class StandardPagination(PageNumberPagination):
    """`?page=N` and `?page_size=N` (at most 500); responses carry count, next, previous, results.
    The last page (most lists are one page) is counted from its rows (`CountingPaginator`)."""

    django_paginator_class = CountingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LargePagination(StandardPagination):
    """For lists a client reads whole, such as every response of an assessment: up to 2,000 a page,
    so even a very large edition comes back in one request."""

    max_page_size = 2000
