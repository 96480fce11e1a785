"""Registration of the procurement and budget object types, one module per subject, and of the
cards procurement adds to other apps' pages (the contracts covering an asset…)."""

from dpti.procurement import coverage  # noqa: F401
from dpti.procurement.object_types import budget, contracts, menu, orders, reference  # noqa: F401
