"""Models of the directory: organisation, companies, people and teams."""

from dpti.directory.models.companies import Company
from dpti.directory.models.organisation import OrganisationUnit
from dpti.directory.models.people import Person, Team

__all__ = ["Company", "OrganisationUnit", "Person", "Team"]
