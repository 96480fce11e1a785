"""Registry-wide API tests: every object type and every role answers as its permissions say.

The expected status of each request is derived from `ObjectType.permissions` (administrators
may do everything) and, for rows, from `restrict` scoping; nothing is written per model. A new
registered type is covered as soon as its factory is in `tests.factories.FACTORY_FOR_MODEL`.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.relations import ManyRelatedField, RelatedField

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.models import BaseModel
from dpti.core.permissions import restrict, user_is_scoped
from tests.factories import FACTORY_FOR_MODEL
from tests.registry_support import (
    OBJECT_TYPES,
    allowed,
    client_of,
    factory_of,
    make_objects,
    over_types_and_roles,
    shared_rows,
    unsaved_instance,
    visible,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"
# Session, account, roles, permissions, the object, its many-to-many lists: a detail page costs
# a handful of queries whatever the data; more means a relation is loaded row by row.
DETAIL_QUERY_BUDGET = 10

matrix = over_types_and_roles("api")
TYPES = [pytest.param(ot, id=ot.label) for ot in OBJECT_TYPES]


@pytest.fixture(scope="module")
def rows(object_type, django_db_setup, django_db_blocker):
    """Users of the matrix roles and one row of the type from its factory, shared by its tests."""
    with shared_rows(
        object_type, django_db_blocker, lambda: [factory_of(object_type.model)()]
    ) as made:
        yield made


def writable_data(object_type, obj, *, relations=True):
    """The writable fields of an instance as the API takes them."""
    serializer = object_type.serializer(context={})
    data = {}
    for name, field in serializer.fields.items():
        if field.read_only or name == "version":
            continue
        if isinstance(field, ManyRelatedField):
            if relations:
                data[name] = (
                    [] if obj.pk is None else [item.pk for item in getattr(obj, name).all()]
                )
            continue
        if isinstance(field, RelatedField) and not relations:
            continue
        attribute = field.get_attribute(obj)
        data[name] = None if attribute is None else field.to_representation(attribute)
    return data


def list_url(object_type):
    return reverse(api_url_name(object_type, "list"))


def detail_url(object_type, obj):
    return reverse(api_url_name(object_type, "detail"), args=[obj.pk])


def refused_status(role):
    """401 for an anonymous client, 403 for a signed-in user without the permission."""
    return 401 if role is None else 403


def test_every_registered_type_has_a_factory():
    """The generic tests cover every registered type: each one needs a factory."""
    missing = [ot.label for ot in OBJECT_TYPES if ot.model not in FACTORY_FOR_MODEL]
    assert missing == []


@matrix
def test_list(object_type, role, rows):
    """A list answers 200 with exactly the rows the gate lets the role see, else 401/403."""
    [obj] = rows.objects(1)
    client = rows.client(role)
    response = client.get(list_url(object_type), {"limit": 1000})
    if not allowed(object_type, role, "view"):
        assert response.status_code == refused_status(role)
        assert "detail" in response.json()
        return
    assert response.status_code == 200
    returned = {row["id"] for row in response.json()["results"]}
    expected = set(restrict(object_type.get_queryset(), client.user).values_list("pk", flat=True))
    assert returned == expected
    assert (obj.pk in returned) == visible(object_type, client.user, "view", obj)
    if not user_is_scoped(client.user):
        assert obj.pk in returned


@matrix
def test_retrieve(object_type, role, rows):
    """A detail answers 200 inside the role's scope, 404 outside it, 401/403 without rights."""
    [obj] = rows.objects(1)
    client = rows.client(role)
    response = client.get(detail_url(object_type, obj))
    if not allowed(object_type, role, "view"):
        assert response.status_code == refused_status(role)
        return
    if visible(object_type, client.user, "view", obj):
        assert response.status_code == 200
        assert response.json()["id"] == obj.pk
        assert response.json()["display"] == str(obj)
    else:
        assert response.status_code == 404


@matrix
def test_create(object_type, role, rows):
    """A create is saved (201) only for roles allowed to add, inside their scope."""
    model = object_type.model
    client = rows.client(role)
    payload = writable_data(object_type, unsaved_instance(object_type))
    before = set(model._default_manager.values_list("pk", flat=True))
    response = client.post(list_url(object_type), payload, content_type=JSON)
    created = model._default_manager.exclude(pk__in=before)
    if not allowed(object_type, role, "add"):
        assert response.status_code == refused_status(role)
        assert not created.exists()
        return
    if user_is_scoped(client.user):
        # Scoped users may only create inside their scope, with relations they may see.
        assert response.status_code in (201, 400, 403), response.content
        if response.status_code != 201:
            assert not created.exists()
            return
    assert response.status_code == 201, response.content
    obj = created.get()
    assert response.json()["id"] == obj.pk
    assert visible(object_type, client.user, "add", obj)
    if isinstance(obj, BaseModel):
        assert (obj.created_by, obj.version) == (client.user, 1)


@matrix
def test_update(object_type, role, rows):
    """A change is saved for roles allowed to change the row; 404 outside scope; 401/403."""
    [obj] = rows.objects(1)
    client = rows.client(role)
    payload = writable_data(object_type, obj, relations=False)
    if isinstance(obj, BaseModel):
        payload["version"] = obj.version
    in_scope = client.user is not None and visible(object_type, client.user, "change", obj)
    response = client.patch(detail_url(object_type, obj), payload, content_type=JSON)
    obj.refresh_from_db()
    if not allowed(object_type, role, "change"):
        assert response.status_code == refused_status(role)
    elif not in_scope:
        assert response.status_code == 404
    else:
        assert response.status_code == 200, response.content
        if isinstance(obj, BaseModel):
            assert (obj.version, obj.updated_by) == (2, client.user)
            assert response.json()["version"] == 2
        return
    if isinstance(obj, BaseModel):
        assert obj.version == 1


@matrix
def test_delete(object_type, role, rows):
    """A delete removes the row for roles allowed to; 404 outside scope; 401/403 otherwise."""
    [obj] = rows.objects(1)
    client = rows.client(role)
    in_scope = client.user is not None and visible(object_type, client.user, "delete", obj)
    response = client.delete(detail_url(object_type, obj))
    exists = object_type.model._default_manager.filter(pk=obj.pk).exists()
    if not allowed(object_type, role, "delete"):
        assert response.status_code == refused_status(role)
        assert exists
    elif not in_scope:
        assert response.status_code == 404
        assert exists
    else:
        assert response.status_code == 204
        assert not exists


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("object_type", TYPES)
def test_list_queries_do_not_grow_with_rows(object_type):
    """A list page costs the same number of queries for 3 rows as for 15."""
    client = client_of(roles.ADMINISTRATOR)
    make_objects(object_type, 3)
    client.get(list_url(object_type))  # warm the cached row counts of the filters
    few = count_queries(client, list_url(object_type))
    make_objects(object_type, 12)
    many = count_queries(client, list_url(object_type))
    assert few == many


@pytest.mark.parametrize("object_type", TYPES)
def test_detail_answers_in_a_fixed_number_of_queries(object_type):
    """A detail costs the same few queries whatever the object and the size of the table."""
    client = client_of(roles.ADMINISTRATOR)
    first = factory_of(object_type.model)()
    client.get(detail_url(object_type, first))  # warm the cached row counts of the filters
    alone = count_queries(client, detail_url(object_type, first))
    last = make_objects(object_type, 15)[-1]
    crowded = count_queries(client, detail_url(object_type, last))
    assert alone == crowded
    assert crowded <= DETAIL_QUERY_BUDGET
