"""Factories of the directory: units, companies, people, teams."""

import factory

from dpti.directory.models import Company, OrganisationUnit, Person, Team


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    code = factory.Sequence(lambda n: f"SRV{n:03d}")
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrganisationUnit.Kind.SERVICE


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise calédonienne {n}")
    ridet = factory.Sequence(lambda n: f"{1000000 + n:07d}.001")
    city = "Nouméa"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@congres.nc")
    kind = Person.Kind.AGENT
    unit = factory.SubFactory(OrganisationUnitFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Équipe {n}")
    unit = factory.SubFactory(OrganisationUnitFactory)
