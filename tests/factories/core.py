"""Factories of the core: accounts, audit entries, deadlines."""

from datetime import timedelta

import factory
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dpti.core.models import Deadline, User
from dpti.directory.models import Person
from tests.factories.directory import PersonFactory


class UserFactory(factory.django.DjangoModelFactory):
    """A user account; `roles=["technician"]` puts it in those role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@congres.nc")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class LogEntryFactory(factory.django.DjangoModelFactory):
    """An audit entry: someone changed a person's phone."""

    class Meta:
        model = LogEntry

    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Person))
    object_pk = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"DUPONT Marie {n}")
    action = LogEntry.Action.UPDATE
    changes = factory.LazyFunction(lambda: {"phone": ["27 31 29", "24 37 00"]})
    actor = factory.SubFactory(UserFactory)


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A row of the deadline register; give `source=<object>` to attach it to an object."""

    class Meta:
        model = Deadline
        exclude = ("source",)

    source = factory.SubFactory(PersonFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.source))
    object_id = factory.LazyAttribute(lambda o: o.source.pk)
    kind = factory.Sequence(lambda n: f"test_{n}")
    domain = "directory"
    title = factory.Sequence(lambda n: f"Échéance {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
