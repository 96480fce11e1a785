"""Telecom lines."""

from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.directory.scoping import held_by_requester
from dpti.itpark.models import (
    TelecomLine,
)
from dpti.itpark.object_types.common import IT_EDITS


@register
class TelecomLineType(ObjectType):
    """Telecom lines and links with their monthly cost."""

    model = TelecomLine
    domain = "itpark"
    icon = "ti ti-phone"
    url_slug = "telecom-lines"
    list_columns = (
        "identifier",
        "kind",
        "operator",
        "subscription",
        "monthly_cost",
        "holder",
        "unit",
        "device",
        "site",
        "sim_number",
        "start_date",
        "end_date",
        "status",
    )
    default_columns = ("identifier", "kind", "operator", "monthly_cost", "holder", "unit", "status")
    filter_fields = ("kind", "operator", "unit", "holder", "site", "status", "end_date")
    search_fields = ("identifier", "subscription", "sim_number", "contract_reference")
    form_fields = (
        "kind",
        "identifier",
        "operator",
        "subscription",
        "sim_number",
        "monthly_cost",
        "holder",
        "unit",
        "device",
        "site",
        "contract_reference",
        "start_date",
        "end_date",
        "status",
        "notes",
    )
    # A new tariff applies to many lines at once.
    bulk_edit_fields = ("operator", "unit", "status", "subscription", "monthly_cost")
    select_related = ("operator", "holder", "unit", "device", "site")
    permissions = {**IT_EDITS, roles.PROCUREMENT_MANAGER: "view", roles.REQUESTER: "view"}

    def scope(self, queryset, user):
        """A requester sees the lines he holds."""
        return held_by_requester(queryset, user, "holder")

    def deadlines(self, obj):
        if not obj.end_date or obj.status == TelecomLine.Status.TERMINATED:
            return []
        return [
            DeadlineSpec(
                "commitment_end",
                gettext("End of commitment of the line %(line)s") % {"line": obj},
                obj.end_date,
            )
        ]
