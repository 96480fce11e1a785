"""Registry-wide screen tests: every generic view of every type answers as the roles say.

Expected answers come from `ObjectType.permissions` and `restrict` (scoped roles), never from a
per-model table; a new registered type is covered once its factory is in FACTORY_FOR_MODEL.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.core import preferences
from tests.registry_support import (
    OBJECT_TYPES,
    ROLE_CODES,
    allowed,
    client_of,
    make_objects,
    unsaved_instance,
    visible,
)

pytestmark = pytest.mark.django_db
MATRIX = [
    pytest.param(ot, role, id=f"{ot.label}-{role or 'anonymous'}")
    for ot in OBJECT_TYPES
    for role in ROLE_CODES
]
TYPES = [pytest.param(ot, id=ot.label) for ot in OBJECT_TYPES]


def url(object_type, action, obj=None):
    return reverse(object_type.url_name(action), args=[obj.pk] if obj is not None else None)


def form_data(object_type, obj):
    """POST data of the type's form for an instance, as a browser would send it."""
    form = object_type.form(instance=obj)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "version":
            data[name] = getattr(obj, "version", "")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, Model):
            data[name] = value.pk
        elif isinstance(value, list | tuple):
            data[name] = [item.pk if isinstance(item, Model) else item for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    return data


def assert_no_write_screens(object_type):
    """A read-only register has no add, edit, delete or bulk screen at all."""
    from django.urls import NoReverseMatch

    for action in ("add", "bulk_edit", "bulk_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(object_type.url_name(action))
    for action in ("edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(object_type.url_name(action), args=[1])


def assert_refused(response, role):
    """Anonymous users are sent to the login page; signed-in ones are refused."""
    if role is None:
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_list_and_exports(object_type, role):
    """The list and its CSV/XLSX exports open only for roles that may view the type."""
    client = client_of(role)
    make_objects(object_type, 2)
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(url(object_type, "list"), params)
        if allowed(object_type, role, "view"):
            assert response.status_code == 200
        else:
            assert_refused(response, role)


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_detail(object_type, role):
    """A detail page opens when the role may view the type and the row is in its scope."""
    client = client_of(role)
    [obj] = make_objects(object_type, 1)
    response = client.get(url(object_type, "detail", obj))
    if allowed(object_type, role, "view") and visible(object_type, client.user, "view", obj):
        assert response.status_code == 200
    else:
        assert_refused(response, role)


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_create(object_type, role):
    """The add form opens and saves only for roles that may add; refused posts save nothing."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = client_of(role)
    model = object_type.model
    before = model._default_manager.count()
    instance = unsaved_instance(object_type)
    data = form_data(object_type, instance)
    get = client.get(url(object_type, "add"))
    post = client.post(url(object_type, "add"), data)
    if allowed(object_type, role, "add"):
        assert get.status_code == 200
        assert post.status_code == 302, post.content.decode()[:2000]
        assert model._default_manager.count() == before + 1
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert model._default_manager.count() == before


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_edit(object_type, role):
    """Editing is allowed on rows the role may change; otherwise refused and nothing saved."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = client_of(role)
    [obj] = make_objects(object_type, 1)
    data = form_data(object_type, obj)
    get = client.get(url(object_type, "edit", obj))
    post = client.post(url(object_type, "edit", obj), data)
    obj.refresh_from_db()
    may = allowed(object_type, role, "change") and visible(object_type, client.user, "change", obj)
    if may:
        assert get.status_code == 200
        assert post.status_code == 302, post.content.decode()[:2000]
        assert getattr(obj, "version", 2) == 2
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert getattr(obj, "version", 1) == 1


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_delete(object_type, role):
    """Deletion is confirmed then done for roles that may delete the row; else nothing goes."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = client_of(role)
    [obj] = make_objects(object_type, 1)
    model = object_type.model
    may = allowed(object_type, role, "delete") and visible(object_type, client.user, "delete", obj)
    get = client.get(url(object_type, "delete", obj))
    post = client.post(url(object_type, "delete", obj))
    exists = model._default_manager.filter(pk=obj.pk).exists()
    if may:
        assert get.status_code == 200
        assert post.status_code == 302
        assert not exists
    else:
        assert_refused(get, role)
        assert_refused(post, role)
        assert exists


@pytest.mark.parametrize(("object_type", "role"), MATRIX)
def test_bulk_actions(object_type, role):
    """Bulk edit and bulk delete show their confirmation only to roles with the right."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = client_of(role)
    objects = make_objects(object_type, 2)
    pks = [obj.pk for obj in objects]
    edit = client.post(url(object_type, "bulk_edit"), {"pk": pks})
    delete = client.post(url(object_type, "bulk_delete"), {"pk": pks})
    can_edit = (
        allowed(object_type, role, "change")
        and object_type.allow_bulk_edit
        and bool(object_type.bulk_edit_fields)
        and all(visible(object_type, client.user, "change", obj) for obj in objects)
    )
    can_delete = (
        allowed(object_type, role, "delete")
        and object_type.allow_bulk_delete
        and all(visible(object_type, client.user, "delete", obj) for obj in objects)
    )
    assert edit.status_code == 200 if can_edit else edit.status_code in (302, 403)
    assert delete.status_code == 200 if can_delete else delete.status_code in (302, 403)
    if role is None:
        assert reverse("login") in edit["Location"]
    assert object_type.model._default_manager.filter(pk__in=pks).count() == 2


def count_queries(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("object_type", TYPES)
def test_list_page_queries_do_not_grow_with_rows(object_type):
    """With every column shown, a list page costs the same number of queries for 3 or 20 rows."""
    client = client_of("administrator")
    all_columns = [name for name, _label in object_type.table.selectable_columns()]
    preferences.save_columns(client.user, object_type, all_columns)
    make_objects(object_type, 3)
    client.get(url(object_type, "list"))  # warm the cached row counts of the filters
    few = count_queries(client, url(object_type, "list"))
    make_objects(object_type, 17)
    many = count_queries(client, url(object_type, "list"))
    assert many == few


@pytest.mark.parametrize("object_type", TYPES)
def test_detail_page_queries_do_not_grow_with_rows(object_type):
    """A detail page costs the same whatever the number of other rows."""
    client = client_of("administrator")
    [first] = make_objects(object_type, 1)
    few = count_queries(client, url(object_type, "detail", first))
    make_objects(object_type, 15)
    many = count_queries(client, url(object_type, "detail", first))
    assert many == few


def test_filters_on_records_the_user_cannot_see_are_not_offered(client_for):
    """A contractor, who may not see organisation units, gets no unit filter on people."""
    contractor = client_for("contractor")
    page = contractor.get(reverse("directory:person_list")).content.decode()
    assert 'name="company"' in page
    assert 'name="unit"' not in page
    admin = client_for("administrator")
    assert 'name="unit"' in admin.get(reverse("directory:person_list")).content.decode()


def test_a_relation_filter_over_a_big_table_is_a_text_box(client_for, settings):
    """Past the select limit, the list filters a relation by its key instead of a huge select."""
    from django.core.cache import cache

    from dpti.core import filters
    from tests.factories import PersonFactory, TeamFactory

    cache.clear()
    leader = PersonFactory(email="chef.equipe@congres.nc")
    TeamFactory(name="Support informatique", leader=leader)
    TeamFactory(name="Courrier")
    admin = client_for("administrator")
    url = reverse("directory:team_list")
    page = admin.get(url).content.decode()
    assert '<select name="leader"' in page
    cache.clear()
    original = filters.SELECT_MAX_ROWS
    filters.SELECT_MAX_ROWS = 0
    try:
        page = admin.get(url, {"leader": "chef.equipe@congres.nc"}).content.decode()
        assert '<select name="leader"' not in page
        assert 'name="leader"' in page
        assert "Support informatique" in page
        assert "Courrier" not in page
        by_number = admin.get(url, {"leader": leader.pk}).content.decode()
        assert "Support informatique" in by_number
    finally:
        filters.SELECT_MAX_ROWS = original
        cache.clear()
