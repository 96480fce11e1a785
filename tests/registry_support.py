"""Helpers of the registry-wide tests: expected rights, clients per role, objects per type."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from dpti.core import roles
from dpti.core.permissions import restrict
from dpti.core.registry import ObjectType, registry
from tests.conftest import make_user
from tests.factories import FACTORY_FOR_MODEL, POPULATE_SKIP

OBJECT_TYPES = sorted(registry, key=lambda ot: ot.label)


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


def rights(object_type, role):
    """The actions the role may do on the type: its line of the rights table."""
    return frozenset(action for action in roles.ACTIONS if allowed(object_type, role, action))


def scope_of(object_type, role):
    """What narrows the rows the role acts on, as a key two roles share only if it is the same.

    None for an unscoped role, and for a scoped one the gate refuses before any scope (no
    right on the type). A type that narrows nothing (the base `ObjectType.scope`) gives every
    scoped role the whole table: one key for them all. A type's own `scope` reads the user's
    role (a contractor's company, a requester's own equipment): the role is then its own key.
    """
    if role is None or not roles.ROLES[role].scoped or not rights(object_type, role):
        return None
    if type(object_type).scope is ObjectType.scope:
        return "scoped, unnarrowed"
    return role


def role_classes(object_type):
    """The roles with identical effective rights on the type: same rights for every action and
    same scope. Lists of role codes, in declaration order, computed from the declarations."""
    classes = {}
    for role in roles.ROLES:
        classes.setdefault((rights(object_type, role), scope_of(object_type, role)), []).append(
            role
        )
    return list(classes.values())


def _breadth():
    """{role: how many permissions it holds over the whole registry}."""
    return {role: len(perms) for role, perms in roles.permissions_by_role().items()}


def representative(members):
    """The role that stands for its class in the matrices: the one with the fewest rights over
    the whole registry (ties: declaration order), so that the pages it opens meet the most
    relations it may not follow; the administrator, tested everywhere else, comes last."""
    breadth = _breadth()
    order = list(roles.ROLES)
    return min(members, key=lambda role: (breadth[role], order.index(role)))


def matrix_roles(object_type):
    """The roles a matrix test runs as for the type: anonymous, then one per class."""
    return [None, *(representative(members) for members in role_classes(object_type))]


MATRIX_MARK = pytest.mark.registry_matrix


def type_by_type(items):
    """Reorder the matrix tests of each module in place, type after type.

    pytest groups the tests of a module by the value of each module-scoped argument, the role
    as well as the type: left so, it would come back to a type after another one and make its
    shared rows again. Other tests keep their places.
    """
    index = {object_type: position for position, object_type in enumerate(OBJECT_TYPES)}
    places = [n for n, item in enumerate(items) if item.get_closest_marker("registry_matrix")]
    ordered = sorted(
        (items[n] for n in places),
        key=lambda item: (str(item.path), index[item.callspec.params["object_type"]]),
    )
    for n, item in zip(places, ordered, strict=True):
        items[n] = item


def over_types_and_roles(family):
    """Parametrise a test by (type, role), ids "<type>-<role>", one role per class of roles
    with identical rights on the type (`role_classes`), plus an anonymous client.

    Both arguments are module-scoped, so that a module-scoped fixture (`shared_rows`) makes the
    users and rows of a type once for all its tests, provided they run one after the other:
    `type_by_type` (a collection hook of tests/conftest.py) puts them so, and the
    `xdist_group` mark keeps them on one worker under `--dist loadgroup` (pyproject).
    tests/core/test_role_classes.py checks that the classes hide no role whose rights differ.
    """
    params = [
        pytest.param(
            object_type,
            role,
            id=f"{object_type.label}-{role or 'anonymous'}",
            marks=[pytest.mark.xdist_group(f"{family}:{object_type.label}"), MATRIX_MARK],
        )
        for object_type in OBJECT_TYPES
        for role in matrix_roles(object_type)
    ]
    return pytest.mark.parametrize(("object_type", "role"), params, scope="module")


def client_of(role):
    """A client signed in with a new user of the role, or an anonymous one."""
    client = Client()
    client.user = None
    if role is not None:
        client.user = make_user(role)
        client.force_login(client.user)
    return client


class SharedRows:
    """Signed-in users of the roles the matrix runs as and rows of one type, made once for all
    its tests.

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
        for role in matrix_roles(object_type):
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
