"""Companies (RIDET)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.deadlines import DeadlineSpec
from dpti.core.registry import ObjectType, register
from dpti.directory.models import Company
from dpti.directory.object_types.common import READ_INTERNAL
from dpti.directory.scoping import company_of


@register
class CompanyType(ObjectType):
    """Companies: suppliers and contractors, with their RIDET number."""

    model = Company
    domain = "directory"
    icon = "ti ti-building-store"
    url_slug = "companies"
    list_columns = (
        "name",
        "ridet",
        "activity",
        "is_supplier",
        "is_contractor",
        "city",
        "phone",
        "email",
        "certificates_valid_until",
        "is_active",
    )
    default_columns = ("name", "ridet", "activity", "city", "phone", "certificates_valid_until")
    filter_fields = ("is_supplier", "is_contractor", "is_active", "certificates_valid_until")
    search_fields = ("name", "ridet", "activity", "email")
    form_fields = (
        "name",
        "ridet",
        "is_supplier",
        "is_contractor",
        "activity",
        "address",
        "postal_code",
        "city",
        "phone",
        "email",
        "website",
        "certificates_valid_until",
        "is_active",
        "notes",
    )
    bulk_edit_fields = ("is_supplier", "is_contractor", "is_active", "city")
    import_key = "ridet"
    import_name_lookups = ("name",)  # or by its RIDET, the key
    related_lists = (("people", _("Staff")),)
    permissions = {
        **READ_INTERNAL,
        roles.PROCUREMENT_MANAGER: "view add change",
        roles.CONTRACTOR: "view",
    }

    def scope(self, queryset, user):
        """A contractor sees only his own company."""
        if roles.CONTRACTOR in user.role_names:
            return queryset.filter(pk=company_of(user))
        return queryset.none()

    def deadlines(self, obj):
        if not obj.certificates_valid_until or not obj.is_active:
            return []
        return [
            DeadlineSpec(
                "certificates",
                gettext("Tax and social certificates of %(company)s expire") % {"company": obj},
                obj.certificates_valid_until,
            )
        ]
