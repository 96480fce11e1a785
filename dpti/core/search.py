"""Global search across every registered object type, within each user's rights."""

import operator
from functools import reduce

from django.db.models import Q

from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry

RESULTS_PER_TYPE = 8
MIN_QUERY_LENGTH = 2


def search_queryset(object_type, query, user):
    """The objects of one type whose search fields contain every word of the query."""
    queryset = restrict(object_type.get_queryset(), user, "view")
    for word in query.split()[:8]:
        queryset = queryset.filter(
            reduce(
                operator.or_, (Q(**{f"{f}__icontains": word}) for f in object_type.search_fields)
            )
        )
    return queryset


def global_search(query, user, per_type=RESULTS_PER_TYPE):
    """[{object_type, objects, more}] for the types where the query matches something."""
    query = (query or "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for object_type in registry:
        if not object_type.in_global_search or not object_type.search_fields:
            continue
        if not has_model_permission(user, object_type.model, "view"):
            continue
        found = list(search_queryset(object_type, query, user)[: per_type + 1])
        if found:
            groups.append(
                {
                    "object_type": object_type,
                    "objects": found[:per_type],
                    "more": len(found) > per_type,
                }
            )
    return groups
