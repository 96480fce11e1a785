"""Leases."""

from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.estate.models import Lease
from dpti.estate.object_types.common import ESTATE_PERMISSIONS


@register
class LeaseType(ObjectType):
    """Leases of rented buildings, with their notice deadline."""

    model = Lease
    domain = "estate"
    icon = "ti ti-file-certificate"
    url_slug = "leases"
    list_columns = (
        "__str__",
        "building",
        "reference",
        "landlord",
        "landlord_name",
        "start_date",
        "end_date",
        "notice_months",
        "monthly_rent",
        "charges",
    )
    default_columns = ("__str__", "reference", "start_date", "end_date", "monthly_rent")
    column_order_by = {"__str__": ("building__name", "start_date")}
    filter_fields = ("building", "landlord", "end_date")
    search_fields = ("reference", "landlord_name", "building__name", "landlord__name")
    form_fields = (
        "building",
        "reference",
        "landlord",
        "landlord_name",
        "start_date",
        "end_date",
        "notice_months",
        "monthly_rent",
        "charges",
        "rented_area",
        "notes",
    )
    bulk_edit_fields = ()
    select_related = ("building", "landlord")
    permissions = {
        **ESTATE_PERMISSIONS,
        roles.PROCUREMENT_MANAGER: "view",
    }

    def deadlines(self, obj):
        if not obj.end_date:
            return []
        return [
            DeadlineSpec(
                "lease_notice",
                gettext("Last day to give notice on the lease of %(building)s")
                % {"building": obj.building},
                obj.notice_date,
            ),
            DeadlineSpec(
                "lease_end",
                gettext("End of the lease of %(building)s") % {"building": obj.building},
                obj.end_date,
            ),
        ]
