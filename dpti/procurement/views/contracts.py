"""Contracts: consumption panels, the contract sheet (PDF), spending and framework reports."""


def contract_panels(contract, request):
    """Cards of a contract's page."""
    return []


def contract_actions(contract, user):
    """Buttons of a contract's page."""
    return []


def lot_panels(lot, request):
    """Cards of a lot's page."""
    return []


urlpatterns = []
