"""List filters (django-filter), generated from the registry and shared with the API."""

import django_filters
from django import forms
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from dpti.core.fields import DateFormField, resolve_field_path
from dpti.core.permissions import restrict


def _restricted_choices(related_model):
    def queryset(request):
        if request is None:
            return related_model._default_manager.none()
        from dpti.core.registry import registry

        queryset = related_model._default_manager.all()
        if related_model in registry:
            queryset = registry.get(related_model).choices_queryset(queryset)
        return restrict(queryset, request.user, "view")

    return queryset


# Above this many rows, a relation filter is a text box (key or number), not a select:
# a select of 50,000 people weighs megabytes and takes seconds to render.
SELECT_MAX_ROWS = 300


def related_row_count(model):
    """Rows of a related table, cached a few minutes (a filter form asks on every list)."""
    key = f"dpti:rows:{model._meta.label_lower}"
    count = cache.get(key)
    if count is None:
        count = model._default_manager.count()
        cache.set(key, count, 300)
    return count


class RelatedKeyFilter(django_filters.CharFilter):
    """Filter a relation by the related record's number or its key (e-mail, code, RIDET…)."""

    def __init__(self, *args, key_field=None, related_model=None, **kwargs):
        self.key_field, self.related_model = key_field, related_model
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        value = (value or "").strip()
        if not value:
            return queryset
        condition = Q()
        if value.isdigit():
            condition |= Q(pk=int(value))
        if self.key_field:
            condition |= Q(**{f"{self.key_field}__iexact": value})
        if not condition or self.related_model is None:
            return queryset.none()
        # The matching records first (a handful), then the rows by their indexed relation:
        # an OR across the join would read every row of a big list (invoices of a supplier at
        # 50,000 invoices: 196 ms → under 60 ms).
        pks = list(
            self.related_model._default_manager.filter(condition).values_list("pk", flat=True)[:100]
        )
        return queryset.filter(**{f"{self.field_name}__in": pks})


def _attributes(attrs):
    """Django's widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's select, written in Python: Django renders each option through two templates
    (a select of 200 buildings on a list's filters: 15 ms, for 1 ms of data)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attributes(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts += [
                    format_html('<option value="{}"', str(option["value"])),
                    _attributes(option["attrs"]),
                    format_html(">{}</option>", option["label"]),
                ]
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


# Past this many intermediate records, a filter across relations sends a subquery instead.
THROUGH_MAX_KEYS = 1000


def crosses_many(model, path):
    """Whether a lookup path crosses a to-many relation (then rows may repeat)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def filter_through_first_relation(queryset, path, value):
    """Filter `queryset` by `path=value`, where the path crosses several relations, through
    the keys of the first related records that match (`room_id IN (…)` for a building).

    Filtering on the joined table's column lets PostgreSQL pick the list's own order index
    and check the building on every row it walks: at 1,000,000 assets, it visited 12,654 to
    find the 50 of a page (37 ms); the hundred rooms of the building are one index look-up.
    """
    first, _sep, rest = path.partition("__")
    related = queryset.model._meta.get_field(first).related_model
    related_rows = related._default_manager.all()
    if "__" in rest:  # a device's building: its assets are found through their rooms in turn
        related_rows = filter_through_first_relation(related_rows, rest, value)
    else:
        related_rows = related_rows.filter(**{rest: value})
    through = related_rows.values_list("pk", flat=True)
    keys = list(through[: THROUGH_MAX_KEYS + 1])
    if len(keys) > THROUGH_MAX_KEYS:
        keys = through
    filtered = queryset.filter(**{f"{first}__in": keys})
    return filtered.distinct() if crosses_many(queryset.model, first) else filtered


class RelatedChoiceFilter(django_filters.ModelChoiceFilter):
    """A select of related records that remembers their model (to size the widget)."""

    def __init__(self, *args, related_model=None, **kwargs):
        self.related_model = related_model
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES or "__" not in self.field_name:
            return super().filter(qs, value)
        return filter_through_first_relation(qs, self.field_name, value)


class DayFirstDateFilter(django_filters.DateFilter):
    """A date filter typed dd/mm/yyyy in a text box with the calendar, refused in French."""

    field_class = DateFormField


class ObjectFilterSet(django_filters.FilterSet):
    """Base filterset: a quick search `q` over the type's search fields."""

    q = django_filters.CharFilter(method="quick_search", label=_("Search"))
    search_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_filter in list(self.filters.items()):
            if isinstance(list_filter, RelatedChoiceFilter):
                model = list_filter.related_model
                if related_row_count(model) > SELECT_MAX_ROWS:
                    self.filters[name] = key_filter_for(list_filter, model)

    def quick_search(self, queryset, name, value):
        """Every word must match one of the search fields (case-insensitive), as in the
        global search (dpti.core.search.matching: relation fields searched in their table)."""
        from dpti.core.search import matching

        return matching(queryset, self.search_fields, value)


def key_filter_for(list_filter, model):
    """The text-box version of a relation filter, matching the related type's import key."""
    from dpti.core.registry import registry

    key_field = registry.get(model).import_key if model in registry else None
    hint = _("number")
    if key_field:
        hint = model._meta.get_field(key_field).verbose_name
    return RelatedKeyFilter(
        field_name=list_filter.field_name,
        label=list_filter.label,
        key_field=key_field,
        related_model=model,
        widget=forms.TextInput(attrs={"placeholder": hint}),
    )


def build_filterset(object_type):
    """Build the FilterSet class of an object type from its `filter_fields`."""
    model = object_type.model
    attrs = {"search_fields": tuple(object_type.search_fields)}
    plain = []
    for name in object_type.filter_fields:
        field = resolve_field_path(model, name)  # "floor__building" filters across a relation
        label = field.verbose_name
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField):
            # Single choice: a readable select on a phone; the API takes the same parameter.
            attrs[name] = RelatedChoiceFilter(
                queryset=_restricted_choices(field.related_model),
                empty_label=_("All"),
                label=label,
                related_model=field.related_model,
            )
        elif isinstance(field, models.BooleanField):
            attrs[name] = django_filters.BooleanFilter(
                field_name=name,
                label=label,
                widget=forms.Select(
                    choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
                ),
            )
        elif field.choices:
            attrs[name] = django_filters.ChoiceFilter(
                field_name=name, choices=field.choices, label=label, empty_label=_("All")
            )
        elif isinstance(field, models.DateField):
            # A date-time is filtered by its local date: "from the 3rd" includes all of the 3rd.
            on_date = "date__" if isinstance(field, models.DateTimeField) else ""
            attrs[f"{name}__gte"] = DayFirstDateFilter(
                field_name=name,
                lookup_expr=f"{on_date}gte",
                label=_("%(field)s from") % {"field": label},
            )
            attrs[f"{name}__lte"] = DayFirstDateFilter(
                field_name=name,
                lookup_expr=f"{on_date}lte",
                label=_("%(field)s to") % {"field": label},
            )
        else:
            plain.append(name)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": plain})
    return type(f"{model.__name__}FilterSet", (ObjectFilterSet,), attrs)
