"""The assets module's own pages, beside the generic views of its object types."""

from dpti.assets.views import campaigns, disposal, labels, register

urlpatterns = [
    *labels.urlpatterns,
    *register.urlpatterns,
    *campaigns.urlpatterns,
    *disposal.urlpatterns,
]
