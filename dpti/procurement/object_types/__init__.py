"""Registration of the procurement and budget object types, one module per subject."""

from dpti.procurement.object_types import budget, contracts, orders, reference  # noqa: F401
