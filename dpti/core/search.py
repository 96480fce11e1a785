"""Global search across every registered object type, within each user's rights.

`matching` is also the quick search of the list pages: every word must be found in one of the
type's search fields (case-insensitive), fields of the type itself or reached through a
relation (`supplier__name`).

How it stays fast on big tables (PostgreSQL): each search field of a big table has a trigram
index on UPPER(field) (`dpti.core.trigram`), the expression Django's `icontains` writes. The
fields of the type itself are ORed in one condition, which PostgreSQL answers by OR-ing those
indexes. A field behind a relation is searched in its own table by a subquery (`supplier IN
(companies whose name matches)`), answered by that table's indexes and the key's index; and
when a type has both kinds, the branches are put together as a UNION of primary keys, not an
OR across a join, which would make PostgreSQL join and test every row of the table.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry

RESULTS_PER_TYPE = 8
MIN_QUERY_LENGTH = 2
MAX_WORDS = 8


def search_words(query):
    """The words of a query that are searched (the first eight)."""
    return (query or "").split()[:MAX_WORDS]


def word_condition(model, fields, word):
    """A Q: `word` is in at least one of the model's `fields` (paths may cross relations)."""
    if any(LOOKUP_SEP in name for name in fields):
        return Q(pk__in=matching_keys(model, fields, word))
    return _own_condition(fields, word)


def matching_keys(model, fields, word):
    """A queryset of the keys of the model's rows where `word` is in one of `fields`.

    One branch for the model's own fields, one per relation, put together by UNION ALL.
    """
    manager = model._base_manager
    own = [name for name in fields if LOOKUP_SEP not in name]
    through = {}
    for name in fields:
        if LOOKUP_SEP in name:
            relation, rest = name.split(LOOKUP_SEP, 1)
            through.setdefault(relation, []).append(rest)
    branches = [manager.filter(_own_condition(own, word))] if own else []
    for relation, rests in through.items():
        related = model._meta.get_field(relation).related_model
        branches.append(manager.filter(**{f"{relation}__in": matching_keys(related, rests, word)}))
    keys = [branch.order_by().values("pk") for branch in branches]
    return keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]


def _own_condition(fields, word):
    """OR of `icontains` over fields of the model itself."""
    return reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields), Q())


def matching(queryset, fields, query):
    """The rows of `queryset` whose `fields` contain every word of the query."""
    if not fields:
        return queryset
    for word in search_words(query):
        queryset = queryset.filter(word_condition(queryset.model, fields, word))
    return queryset


def search_queryset(object_type, query, user):
    """The objects of one type whose search fields contain every word of the query."""
    queryset = restrict(object_type.get_queryset(), user, "view")
    return matching(queryset, object_type.search_fields, query)


def found_keys(object_type, query, user, limit):
    """The keys of up to `limit` objects of the type that match, in no particular order.

    No joins for the list's columns, and no ORDER BY: sorting by the list's order would make
    PostgreSQL either sort every match of a frequent word, or walk the index of that order
    testing rows until enough match, which reads most of the table when the matches sit
    together in that order (« Martin » among the people sorted by last name).
    """
    queryset = search_queryset(object_type, query, user).select_related(None)
    return list(queryset.order_by().values_list("pk", flat=True)[:limit])


def global_search(query, user, per_type=RESULTS_PER_TYPE):
    """[{object_type, objects, more}] for the types where the query matches something.

    One query per type the user may view, and one more for each type that has results, to
    read those few objects with what their names need, in the list's order.
    """
    query = (query or "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for object_type in registry:
        if not object_type.in_global_search or not object_type.search_fields:
            continue
        if not has_model_permission(user, object_type.model, "view"):
            continue
        keys = found_keys(object_type, query, user, per_type + 1)
        if keys:
            objects = list(object_type.get_queryset().filter(pk__in=keys[:per_type]))
            groups.append(
                {
                    "object_type": object_type,
                    "objects": objects,
                    "more": len(keys) > per_type,
                }
            )
    return groups
