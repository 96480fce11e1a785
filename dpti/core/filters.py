"""List filters (django-filter), generated from the registry and shared with the API."""

import operator
from functools import reduce

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.permissions import restrict


def _restricted_choices(related_model):
    def queryset(request):
        if request is None:
            return related_model._default_manager.none()
        return restrict(related_model._default_manager.all(), request.user, "view")

    return queryset


class ObjectFilterSet(django_filters.FilterSet):
    """Base filterset: a quick search `q` over the type's search fields."""

    q = django_filters.CharFilter(method="quick_search", label=_("Search"))
    search_fields = ()

    def quick_search(self, queryset, name, value):
        """Every word must match one of the search fields (case-insensitive)."""
        words = value.split()
        if not words or not self.search_fields:
            return queryset
        for word in words[:8]:
            queryset = queryset.filter(
                reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields))
            )
        return queryset


def build_filterset(object_type):
    """Build the FilterSet class of an object type from its `filter_fields`."""
    model = object_type.model
    attrs = {"search_fields": tuple(object_type.search_fields)}
    plain = []
    for name in object_type.filter_fields:
        field = model._meta.get_field(name)
        label = field.verbose_name
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField):
            # Single choice: a readable select on a phone; the API takes the same parameter.
            attrs[name] = django_filters.ModelChoiceFilter(
                queryset=_restricted_choices(field.related_model), label=label
            )
        elif isinstance(field, models.BooleanField):
            attrs[name] = django_filters.BooleanFilter(
                label=label,
                widget=forms.Select(
                    choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]
                ),
            )
        elif field.choices:
            attrs[name] = django_filters.ChoiceFilter(choices=field.choices, label=label)
        elif isinstance(field, models.DateField):
            # A date-time is filtered by its local date: "from the 3rd" includes all of the 3rd.
            on_date = "date__" if isinstance(field, models.DateTimeField) else ""
            attrs[f"{name}__gte"] = django_filters.DateFilter(
                field_name=name,
                lookup_expr=f"{on_date}gte",
                label=_("%(field)s from") % {"field": label},
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            )
            attrs[f"{name}__lte"] = django_filters.DateFilter(
                field_name=name,
                lookup_expr=f"{on_date}lte",
                label=_("%(field)s to") % {"field": label},
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            )
        else:
            plain.append(name)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": plain})
    return type(f"{model.__name__}FilterSet", (ObjectFilterSet,), attrs)
