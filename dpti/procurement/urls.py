"""The procurement module's own pages, beside the generic views of its object types."""

from dpti.procurement.views import budget, contracts, payments, procedure

urlpatterns = [
    *procedure.urlpatterns,
    *payments.urlpatterns,
    *budget.urlpatterns,
    *contracts.urlpatterns,
]
