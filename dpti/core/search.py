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

from django.core.exceptions import EmptyResultSet
from django.db import connection
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
    keys = [
        branch.order_by().values("pk")
        for branch in word_branches(model._base_manager.all(), fields, word)
    ]
    return keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]


def word_branches(queryset, fields, word):
    """Narrowings of `queryset` whose union is its rows where `word` is in one of `fields`:
    one for the fields of the model itself, one per relation (searched in its own table)."""
    own = [name for name in fields if LOOKUP_SEP not in name]
    through = {}
    for name in fields:
        if LOOKUP_SEP in name:
            relation, rest = name.split(LOOKUP_SEP, 1)
            through.setdefault(relation, []).append(rest)
    branches = [queryset.filter(_own_condition(own, word))] if own else []
    for relation, rests in through.items():
        related = queryset.model._meta.get_field(relation).related_model
        found = matching_keys(related, rests, word)
        branches.append(queryset.filter(**{f"{relation}__in": found}))
    return branches


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


def found_keys(object_types, query, user, limit):
    """{object type: keys of up to `limit` of its objects that match}, in one query.

    Each type's search reads keys only, without the list's joins, without ORDER BY, and one
    branch at a time (the type's own fields, then each relation), each with its own LIMIT:
    PostgreSQL then stops each branch at `limit` matches, whereas sorting by the list's
    order, or a condition `key IN (UNION of the branches)`, makes it find every match of a
    frequent word first (« Poste » names 300,000 assets at the large size). The union of
    the branches' first `limit` keys holds `limit` distinct objects whenever there are that
    many. The longest word chooses the branches, the other words filter each branch. The
    searches of all the types go to the database together, as one UNION ALL, instead of
    one round trip each.
    """
    words = sorted(search_words(query), key=len, reverse=True)
    if not words:
        return {}
    parts, params, searched = [], [], []
    for object_type in object_types:
        queryset = restrict(object_type.get_queryset(), user, "view").select_related(None)
        fields = object_type.search_fields
        for word in words[1:]:
            queryset = queryset.filter(word_condition(queryset.model, fields, word))
        for branch in word_branches(queryset, fields, words[0]):
            keys = branch.order_by().values_list("pk", flat=True)[:limit]
            if keys.query.is_empty():
                continue
            try:
                sql, part_params = keys.query.get_compiler(keys.db).as_sql()
            except EmptyResultSet:
                continue
            parts.append(f"SELECT {len(searched)} AS found_type, found.* FROM ({sql}) found")
            params.extend(part_params)
        searched.append(object_type)
    found = {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for index, key in cursor.fetchall():
                keys = found.setdefault(searched[index], [])
                if key not in keys:
                    keys.append(key)
    return found


def global_search(query, user, per_type=RESULTS_PER_TYPE):
    """[{object_type, objects, more}] for the types where the query matches something.

    One query for the keys of all the types the user may view, then one for each type that
    has results, to read those few objects with what their names need, in the list's order.
    """
    query = (query or "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    searched = [
        object_type
        for object_type in registry
        if object_type.in_global_search
        and object_type.search_fields
        and has_model_permission(user, object_type.model, "view")
    ]
    found = found_keys(searched, query, user, per_type + 1)
    groups = []
    for object_type in searched:
        keys = found.get(object_type)
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
