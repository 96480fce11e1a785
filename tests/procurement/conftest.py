"""Fixtures of the procurement tests: a user of the procurement role and the TGC normal rate."""

import pytest

from dpti.core import roles
from dpti.procurement.models import TaxRate
from tests.conftest import make_user


@pytest.fixture
def buyer(db):
    """A procurement manager's account."""
    return make_user(roles.PROCUREMENT_MANAGER)


@pytest.fixture
def normal_rate(db):
    """The TGC normal rate (11 %) installed with the reference data."""
    return TaxRate.objects.get(code="TN")
