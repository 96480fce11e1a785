"""Counting the rows of a list without reading a whole big table.

An exact COUNT(*) reads every row (or every index entry) of the table: about 100 ms for
1,000,000 assets, more than the rest of the page. When a list is not filtered at all and its
table is big, the number of rows is taken from PostgreSQL's statistics instead, as the planner
does: « about 1,000,000 records ». A filtered or scoped list, a small table, another database or
a page near the estimated end is counted exactly, so that the last page is the real last page.
"""

import math

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count costs a few milliseconds: not worth an approximation.
ESTIMATE_ABOVE = 100_000


def is_unfiltered(queryset):
    """True when the queryset returns exactly one row per row of its table."""
    query = queryset.query
    return not (
        query.where
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.extra
        or (query.group_by is not None and query.group_by is not True)
    )


def table_estimate(model, using):
    """Rows of the model's table by PostgreSQL's statistics (scaled to its current size, like the
    planner), or None when the table was never analysed or the database is not PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, relpages, "
            "pg_relation_size(oid) / current_setting('block_size')::int "
            "FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    tuples, pages, current_pages = row
    if tuples < 0:  # never analysed (PostgreSQL 14+ writes -1)
        return None
    if pages > 0:
        tuples = tuples / pages * current_pages
    return int(tuples)


def estimated_count(queryset, reach):
    """An estimate of the queryset's rows when it is unfiltered, its table big, and `reach` (the
    rows up to the end of the page asked for) well inside it; None when it must be counted."""
    if not is_unfiltered(queryset):
        return None
    estimate = table_estimate(queryset.model, queryset.db)
    if estimate is None or estimate < ESTIMATE_ABOVE or reach > estimate // 2:
        return None
    return round_estimate(estimate)


def round_estimate(number):
    """Two significant digits: 998,412 → 1,000,000; 123,456 → 120,000."""
    if number <= 0:
        return 0
    scale = 10 ** max(int(math.log10(number)) - 1, 0)
    return int(round(number / scale) * scale)


class EstimatingPaginator(Paginator):
    """Django's paginator; an unfiltered big table's count comes from PostgreSQL's statistics.

    The estimate is used only for full pages in the first half of it, so « next » always leads
    to rows; further pages (and the last) are counted exactly and their numbers are right.
    `estimated` tells the template to write « about ».
    """

    def __init__(self, object_list, per_page, *args, queryset=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.queryset = queryset
        self.estimated = False
        self.wanted = 1

    def page(self, number):
        try:
            self.wanted = max(int(number), 1)
        except (TypeError, ValueError):
            self.wanted = 1
        page = super().page(number)
        if self.estimated and len(page.object_list) < self.per_page:
            # A short page inside the estimate: the statistics are stale (a table emptied
            # since its last analysis). Count, and give the real page (or the real last one).
            self.estimated = False
            self.queryset = None
            for name in ("count", "num_pages"):
                self.__dict__.pop(name, None)
            page = super().page(number)
        return page

    @cached_property
    def count(self):
        if self.queryset is not None:
            estimate = estimated_count(self.queryset, self.wanted * self.per_page)
            if estimate is not None:
                self.estimated = True
                return estimate
        return super().count
