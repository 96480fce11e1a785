"""API pagination."""

from rest_framework.pagination import LimitOffsetPagination


class StandardPagination(LimitOffsetPagination):
    """?limit=&offset= pages of 50 by default, at most 1,000."""

    default_limit = 50
    max_limit = 1000
