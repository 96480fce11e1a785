"""Helpers of the registry-wide tests: expected rights, clients per role, objects per type."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from dpti.core import roles
from dpti.core.permissions import restrict
from dpti.core.registry import registry
from tests.conftest import make_user
from tests.factories import FACTORY_FOR_MODEL, POPULATE_SKIP

OBJECT_TYPES = sorted(registry, key=lambda ot: ot.label)
ROLE_CODES = [None, *roles.ROLES]  # None: an anonymous client
ROLE_PARAMS = [pytest.param(role, id=role or "anonymous") for role in ROLE_CODES]


def over_types_and_roles(family):
    """Parametrise a test by (type, role), ids "<type>-<role>", the type at module scope.

    pytest then runs the tests of a type one after the other, so that a module-scoped fixture
    (`shared_rows`) makes the users and rows of the type once for all its tests; the
    `xdist_group` mark keeps them on one worker under `--dist loadgroup` (pyproject).
    """
    types = [
        pytest.param(ot, id=ot.label, marks=pytest.mark.xdist_group(f"{family}:{ot.label}"))
        for ot in OBJECT_TYPES
    ]

    def decorate(test):
        test = pytest.mark.parametrize("object_type", types, scope="module")(test)
        return pytest.mark.parametrize("role", ROLE_PARAMS)(test)

    return decorate


def allowed(object_type, role, action):
    """Whether the registry grants the role this action on the type (administrators: all)."""
    if role is None:
        return False
    if action == "add" and not object_type.allow_add:
        return False
    if object_type.read_only and action != "view":
        return False
    if role == roles.ADMINISTRATOR:
        return True
    return action in object_type.permissions.get(role, "").split()


def client_of(role):
    """A client signed in with a new user of the role, or an anonymous one."""
    client = Client()
    client.user = None
    if role is not None:
        client.user = make_user(role)
        client.force_login(client.user)
    return client


class SharedRows:
    """Signed-in users of every role and rows of one type, made once for all its tests.

    Each test still runs in its own savepoint (pytest-django), rolled back at its end, so
    what a test adds, changes or deletes is undone before the next one. Every call gives
    fresh instances read from the database and a fresh client carrying only the role's
    session cookie, so that nothing a test did in memory reaches the next one.
    """

    def __init__(self, object_type, user_pks, sessions, pks):
        self.object_type = object_type
        self.user_pks = user_pks
        self.sessions = sessions
        self.pks = pks

    def client(self, role):
        """A client signed in as the role's user (client.user), or anonymous for None."""
        from dpti.core.models import User

        client = Client()
        client.user = None
        if role is not None:
            client.user = User.objects.get(pk=self.user_pks[role])
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def objects(self, count):
        """The first `count` shared rows, as saved."""
        manager = self.object_type.model._default_manager
        by_pk = manager.in_bulk(self.pks[:count])
        return [by_pk[pk] for pk in self.pks[:count]]


@contextmanager
def shared_rows(object_type, django_db_blocker, make):
    """`SharedRows` of the type, with the rows `make()` returns, undone at the end.

    One transaction around the tests of the type (the pattern of the demo tests): pytest-django
    opens each test's transaction as a savepoint inside it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        user_pks, sessions = {}, {}
        for role in ROLE_CODES:
            if role is not None:
                signed_in = client_of(role)
                user_pks[role] = signed_in.user.pk
                sessions[role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        pks = [obj.pk for obj in make()]
        try:
            yield SharedRows(object_type, user_pks, sessions, pks)
        finally:
            transaction.set_rollback(True)


def factory_of(model):
    return FACTORY_FOR_MODEL[model]


def saved(related):
    """A saved object to point a relation to: the built one with its own relations saved, so
    that values a factory derives from another relation (an order's supplier is its lot's
    holder) stay coherent."""
    save_relations(related)
    related.save()
    return related


def save_relations(obj):
    """Replace the unsaved related objects of a built instance by saved ones."""
    for field in obj._meta.concrete_fields:
        if field.is_relation and (field.many_to_one or field.one_to_one):
            related = field.get_cached_value(obj, default=None)
            if related is not None and related.pk is None:
                setattr(obj, field.name, saved(related))
            elif related is not None and getattr(obj, field.attname) is None:
                # Saved meanwhile through another relation (an order's supplier is its lot's
                # holder): copy its id.
                setattr(obj, field.name, related)


def unsaved_instance(object_type):
    """An unsaved, valid instance from the type's factory, its relations saved."""
    obj = factory_of(object_type.model).build()
    save_relations(obj)
    return obj


def populate(obj, object_type):
    """Fill every empty relation of the form, so that lists and details have rows to load.

    A relation left empty costs no query, which would hide a query per row in a list.
    """
    changed = False
    skipped = POPULATE_SKIP.get(object_type.model, lambda obj: set())(obj)
    for name in object_type.get_form_fields():
        field = object_type.model._meta.get_field(name)
        if name in skipped:
            continue
        empty_relation = (field.many_to_one or field.one_to_one) and (
            getattr(obj, field.attname) is None
        )
        fillable = field.related_model in FACTORY_FOR_MODEL and field.related_model is not type(obj)
        if empty_relation and fillable:
            setattr(obj, name, factory_of(field.related_model)())
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    for name in object_type.get_form_fields():
        field = object_type.model._meta.get_field(name)
        if not field.many_to_many:
            continue
        related_model = field.related_model
        if related_model in FACTORY_FOR_MODEL:
            item = factory_of(related_model)()
        else:
            item = related_model._default_manager.first()
        if item is not None:
            getattr(obj, name).add(item)
    return obj


def make_objects(object_type, count):
    return [populate(factory_of(object_type.model)(), object_type) for _ in range(count)]


def visible(object_type, user, action, obj):
    """Whether the permission gate lets the user act on this row."""
    return restrict(object_type.get_queryset().filter(pk=obj.pk), user, action).exists()
