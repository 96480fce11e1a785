"""API pagination."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from dpti.core.pagination import estimated_count


class StandardPagination(LimitOffsetPagination):
    """?limit=&offset= pages of 50 by default, at most 1,000.

    `count` is the number of records the list holds. On a list without any filter over a table
    of more than 100,000 rows, it is PostgreSQL's estimate rounded to two significant digits
    (an exact count would read the whole table) and `count_estimated` is true; a filtered list,
    and any page past the first half of the estimate or shorter than `limit`, is counted exactly.
    `next` is null only on the last page, so following it reads every record either way.
    """

    default_limit = 50
    max_limit = 1000

    def get_count(self, queryset):
        self.count_estimated = False
        offset = self.get_offset(self.request)
        estimate = estimated_count(queryset, offset + self.limit)
        if estimate is not None:
            self.count_estimated = True
            return estimate
        return super().get_count(queryset)

    def paginate_queryset(self, queryset, request, view=None):
        rows = super().paginate_queryset(queryset, request, view)
        if rows is not None and self.count_estimated and len(rows) < self.limit:
            # A short page inside the estimate: the statistics are stale. The real count is
            # known from this page, or counted when it is empty.
            self.count_estimated = False
            self.count = self.offset + len(rows) if rows else super().get_count(queryset)
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_estimated": self.count_estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = str(
            _(
                "Number of records. Without any filter on more than 100,000 records, an estimate "
                "(see count_estimated); filter to count exactly."
            )
        )
        response["properties"] = {
            "count": response["properties"].pop("count"),
            "count_estimated": {
                "type": "boolean",
                "description": str(_("True when count is an estimate.")),
            },
            **response["properties"],
        }
        return response
