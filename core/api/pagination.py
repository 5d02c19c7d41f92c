from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`?page=N` and `?page_size=N` (at most 500); responses carry count, next, previous, results."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LargePagination(StandardPagination):
    """For lists a client reads whole, such as every response of an assessment: up to 2,000 a page,
    so even a very large edition comes back in one request."""

    max_page_size = 2000
