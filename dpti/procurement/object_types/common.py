"""Permissions and scopes shared by the procurement object types."""

from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from dpti.core import roles
from dpti.core.registry import registry
from dpti.directory.scoping import company_of

registry.add_domain("procurement", _("Procurement and budget"), "ti ti-file-invoice", order=40)

# The procurement manager keeps everything; the direction and the other managers read it.
READERS = (roles.DIRECTION, roles.PROPERTY_MANAGER, roles.IT_MANAGER, roles.FLEET_MANAGER)
PROCUREMENT_EDITS = {
    **roles.grant(READERS, "view"),
    roles.PROCUREMENT_MANAGER: "view add change delete",
}
# Contracts and their lots also tell technicians who maintains what.
CONTRACT_READ = {**PROCUREMENT_EDITS, roles.TECHNICIAN: "view"}
# What a contractor may read of his own company's business.
CONTRACTOR_READS = {roles.CONTRACTOR: "view"}
REFERENCE_PERMISSIONS = {
    **roles.grant(roles.INTERNAL_ROLES, "view"),
    roles.PROCUREMENT_MANAGER: "view add change delete",
}


def contractor_company(user):
    """The company of a contractor account (None for anyone else or without a company)."""
    if roles.CONTRACTOR in user.role_names:
        return company_of(user)
    return None


def held_lots_contracts(company_id):
    """The ids of the contracts where a company holds at least one lot."""
    from dpti.procurement.models import ContractLot

    return Subquery(ContractLot.objects.filter(holder_id=company_id).values("contract_id"))


def scope_to_contractor(queryset, user, company_path=None, contract_path=None):
    """Narrow a queryset to a contractor's company: rows it is the company of, or rows of a
    contract where it holds a lot; nothing for other scoped users (requesters)."""
    company_id = contractor_company(user)
    if company_id is None:
        return queryset.none()
    condition = Q()
    if company_path:
        condition |= Q(**{company_path: company_id})
    if contract_path:
        condition |= Q(**{f"{contract_path}__in": held_lots_contracts(company_id)})
    return queryset.filter(condition)
