"""Payment delays: the report for the hierarchy and the invoice's panel."""


def invoice_panels(invoice, request):
    """Cards of an invoice's page."""
    return []


urlpatterns = []
