"""The IT park's own pages, beside the generic views of its object types."""

from dpti.itpark.views import compliance, telecom

urlpatterns = [*compliance.urlpatterns, *telecom.urlpatterns]
