"""Fixtures of the assets tests: the campaign premises and the people who use them."""

import pytest

from dpti.core import roles
from tests.assets.campaign_support import Estate


@pytest.fixture
def estate():
    """Two sites, three buildings, four rooms and their assets (see `Estate`)."""
    return Estate()


@pytest.fixture
def manager(client_for):
    """A property manager: edits the register, starts, reconciles and closes campaigns."""
    return client_for(roles.PROPERTY_MANAGER)


@pytest.fixture
def technician(client_for):
    """A technician: reads the register and counts, nothing more."""
    return client_for(roles.TECHNICIAN)
