"""The classes of roles the registry matrices run as: one role per class of identical rights.

The matrices (test_views_matrix, test_api_matrix) test one representative role per class of
roles with identical effective rights on a type, plus an anonymous client. These tests check
that the rights table they assume (`allowed`) is what the declarations grant to real users of
every role, so that the grouping can hide no role whose rights differ, and that the classes
follow the declarations rather than a list written by hand.
"""

import pytest

from dpti.core import roles
from dpti.core.permissions import has_model_permission, user_is_scoped
from dpti.core.registry import ObjectType
from tests.conftest import make_user
from tests.registry_support import (
    MATRIX_MARK,
    OBJECT_TYPES,
    allowed,
    matrix_roles,
    over_types_and_roles,
    representative,
    rights,
    role_classes,
    scope_of,
)


def possible(object_type, action):
    """Whether the type has the action at all (no add screen, a read-only register…)."""
    if object_type.read_only:
        return action == "view"
    return action != "add" or object_type.allow_add


def granted(user, object_type):
    """The actions the permission gate lets a real user do on the type."""
    return frozenset(
        action
        for action in roles.ACTIONS
        if possible(object_type, action) and has_model_permission(user, object_type.model, action)
    )


@pytest.fixture
def users(db):
    """One real user per role, in the role groups `sync_roles` wrote after the migrations."""
    return {role: make_user(role) for role in roles.ROLES}


def test_the_rights_table_is_what_every_role_is_granted(users):
    """For every type and every role (not only the representatives), the rights the matrices
    expect are exactly those the permission gate gives a user of the role."""
    differences = []
    for object_type in OBJECT_TYPES:
        for role, user in users.items():
            expected = rights(object_type, role)
            if granted(user, object_type) != expected:
                differences.append((object_type.label, role, sorted(expected)))
    assert differences == []
    assert all(not allowed(object_type, None, "view") for object_type in OBJECT_TYPES)


def test_the_members_of_a_class_have_the_rights_and_scope_of_its_representative(users):
    """Every role of a class is granted what its representative is granted and, when that is
    anything at all, is scoped like it: testing the representative tests them all."""
    for object_type in OBJECT_TYPES:
        for members in role_classes(object_type):
            chosen = representative(members)
            expected = granted(users[chosen], object_type)
            for role in members:
                assert granted(users[role], object_type) == expected, (object_type.label, role)
                if expected:
                    assert user_is_scoped(users[role]) == user_is_scoped(users[chosen]), (
                        object_type.label,
                        role,
                    )


def test_the_classes_split_every_role_once():
    """Each role is in exactly one class of each type, and the matrices run as anonymous plus
    one role per class."""
    for object_type in OBJECT_TYPES:
        classes = role_classes(object_type)
        members = [role for members in classes for role in members]
        assert sorted(members) == sorted(roles.ROLES)
        assert matrix_roles(object_type) == [None, *(representative(c) for c in classes)]
        for members in classes:
            assert len({rights(object_type, role) for role in members}) == 1
            assert len({scope_of(object_type, role) for role in members}) == 1


def test_a_scoped_role_with_rights_is_its_own_class():
    """A requester or a contractor who may act on a type sees only his own rows (the type's
    `scope`): he is never taken for a role that sees them all, nor for the other scoped role."""
    checked = 0
    for object_type in OBJECT_TYPES:
        narrowed = type(object_type).scope is not ObjectType.scope
        for members in role_classes(object_type):
            scoped = [role for role in members if role in roles.SCOPED_ROLES]
            if scoped and rights(object_type, scoped[0]):
                assert members == scoped, (object_type.label, members)
                if narrowed:
                    assert len(members) == 1, (object_type.label, members)
                checked += 1
    assert checked > 0


def test_the_classes_follow_the_declarations(monkeypatch):
    """Give the technician a right on a type the direction only reads: the technician leaves
    the direction's class and the matrices run as him too; nothing is written per role."""
    from dpti.core.registry import registry

    object_type = registry.get("estate.site")
    together = next(c for c in role_classes(object_type) if roles.DIRECTION in c)
    assert roles.TECHNICIAN in together
    monkeypatch.setattr(
        object_type,
        "permissions",
        {**object_type.permissions, roles.TECHNICIAN: "view change"},
    )
    classes = role_classes(object_type)
    assert [roles.TECHNICIAN] in classes
    assert roles.TECHNICIAN in matrix_roles(object_type)
    assert rights(object_type, roles.TECHNICIAN) == {"view", "change"}


def test_the_matrices_run_every_class_and_anonymous():
    """The parametrisation of the matrices is one (type, role) pair per class and anonymous,
    each kept with the type's other tests on one xdist worker."""

    def check(object_type, role):
        """A stand-in for a matrix test."""

    [mark] = over_types_and_roles("check")(check).pytestmark
    pairs = [tuple(param.values) for param in mark.args[1]]
    expected = [(ot, role) for ot in OBJECT_TYPES for role in matrix_roles(ot)]
    assert pairs == expected
    assert mark.kwargs["scope"] == "module"
    for param in mark.args[1]:
        names = {m.name for m in param.marks}
        assert names == {"xdist_group", MATRIX_MARK.name}
    assert len(pairs) < len(OBJECT_TYPES) * (len(roles.ROLES) + 1)
