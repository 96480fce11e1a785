"""Rights and the area summary shared by the real estate's types."""

from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.estate.display import area_display

# Everyone inside the directorate reads the premises; requesters need rooms to file requests.
ESTATE_PERMISSIONS = {
    **roles.grant(roles.INTERNAL_ROLES, "view"),
    roles.PROPERTY_MANAGER: "view add change delete",
}


class AreaSummaryMixin:
    """The detail page of a site, building or floor shows the summed surface of its rooms."""

    sortable_annotations = ("total_area",)

    def annotate_list(self, queryset):
        return queryset.with_area()

    def display_total_area(self, obj):
        if not hasattr(obj, "total_area"):  # an object loaded outside the type's queryset
            obj.total_area = type(obj).objects.with_area().get(pk=obj.pk).total_area
        total = obj.total_area
        return area_display(total)

    display_total_area.label = _("total area of the rooms")
