"""Licence compliance: what is owned against what is used, product by product.

Licences of one product add up (the product name compared case-insensitively, trimmed); their
assignments add up their units (a per-core assignment counts its cores). Two grouped queries
in all, whatever the number of products.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dpti.itpark.models import Licence, LicenceAssignment

# Under this share of its licences used, a product is a waste to review at renewal.
UNDER_USED_PERCENT = 80

OVER_USED = "over_used"
UNDER_USED = "under_used"
COMPLIANT = "compliant"
STATUSES = {
    OVER_USED: (_("Over-used"), "red"),
    UNDER_USED: (_("Under-used"), "orange"),
    COMPLIANT: (_("Compliant"), "green"),
}


@dataclass
class ProductCompliance:
    """The compliance figures of one product."""

    product: str
    licences: int
    owned: int
    assigned: int
    site: bool
    next_renewal: date | None
    annual_cost: int

    @property
    def balance(self):
        """Owned minus assigned; None for a site licence (unlimited)."""
        return None if self.site else self.owned - self.assigned

    @property
    def status(self):
        if self.site:
            return COMPLIANT
        if self.assigned > self.owned:
            return OVER_USED
        # Integer comparison: assigned / owned < 80 %.
        if self.owned and self.assigned * 100 < self.owned * UNDER_USED_PERCENT:
            return UNDER_USED
        return COMPLIANT

    @property
    def status_label(self):
        return STATUSES[self.status][0]

    @property
    def colour(self):
        return STATUSES[self.status][1]

    @property
    def percent_used(self):
        """Share of the owned units in use, rounded; None for a site licence or none owned."""
        if self.site or not self.owned:
            return None
        return round(100 * self.assigned / self.owned)


def product_key(field):
    """The expression products are grouped by: lower case, without surrounding spaces."""
    return Lower(Trim(field))


def compliance(licences, today=None):
    """[ProductCompliance] of the given licences, sorted by product name.

    The next renewal is the earliest renewal date from today on; the yearly cost is the sum of
    the licences' costs.
    """
    today = today or timezone.localdate()
    rows = (
        licences.order_by()
        .annotate(key=product_key("product"))
        .values("key")
        .annotate(
            name=Min(Trim("product")),
            count=Count("pk"),
            owned=Sum("quantity"),
            site=Max("licence_model", filter=Q(licence_model=Licence.Model.SITE)),
            next_renewal=Min("renewal_date", filter=Q(renewal_date__gte=today)),
            cost=Sum("annual_cost"),
        )
    )
    used = dict(
        LicenceAssignment.objects.filter(licence__in=licences.order_by().values("pk"))
        .order_by()
        .annotate(key=product_key("licence__product"))
        .values("key")
        .annotate(units=Sum("quantity"))
        .values_list("key", "units")
    )
    products = [
        ProductCompliance(
            product=row["name"],
            licences=row["count"],
            owned=row["owned"] or 0,
            assigned=used.get(row["key"]) or 0,
            site=bool(row["site"]),
            next_renewal=row["next_renewal"],
            annual_cost=row["cost"] or 0,
        )
        for row in rows
    ]
    return sorted(products, key=lambda p: p.product.lower())


def filtered(products, status):
    """The products of one status ('over_used', 'under_used'), or all for anything else."""
    if status in (OVER_USED, UNDER_USED):
        return [p for p in products if p.status == status]
    return products


def totals(products):
    """Counts by status and the yearly cost of all the products shown."""
    return {
        "products": len(products),
        OVER_USED: sum(1 for p in products if p.status == OVER_USED),
        UNDER_USED: sum(1 for p in products if p.status == UNDER_USED),
        "annual_cost": sum(p.annual_cost for p in products),
    }
