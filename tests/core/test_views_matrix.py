"""Registry-wide screen tests: every generic view of every type answers as the roles say.

Expected answers come from `ObjectType.permissions` and `restrict` (scoped roles), never from a
per-model table; a new registered type is covered once its factory is in FACTORY_FOR_MODEL.
"""

import datetime

import pytest
from django.db import connection
from django.db import models as django_models
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.core import preferences
from dpti.core.exports import XLSX_MIME
from dpti.core.permissions import restrict
from tests.factories import FACTORY_FOR_MODEL
from tests.registry_support import (
    OBJECT_TYPES,
    allowed,
    client_of,
    make_objects,
    over_types_and_roles,
    populate,
    shared_rows,
    unsaved_instance,
    visible,
)

pytestmark = pytest.mark.django_db
matrix = over_types_and_roles("views")
TYPES = [pytest.param(ot, id=ot.label) for ot in OBJECT_TYPES]


@pytest.fixture(scope="module")
def rows(object_type, django_db_setup, django_db_blocker):
    """Users of the matrix roles and two populated rows of the type, shared by its tests."""
    with shared_rows(object_type, django_db_blocker, lambda: make_objects(object_type, 2)) as made:
        yield made


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


def assert_refused(response, role, out_of_scope=False):
    """Anonymous users go to the login page; others get 403, or 404 for a row out of scope.

    A role that may act on the type but not on this row (scoped roles) must not even learn
    that the row exists: 404.
    """
    if role is None:
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    elif out_of_scope:
        assert response.status_code == 404
    else:
        assert response.status_code in (403, 404)


EXPORT_TYPES = {"csv": "text/csv", "xlsx": XLSX_MIME}


@matrix
def test_list_and_exports(object_type, role, rows):
    """The list and its CSV/XLSX exports open only for roles that may view the type."""
    client = rows.client(role)
    for fmt in (None, "csv", "xlsx"):
        response = client.get(url(object_type, "list"), {"export": fmt} if fmt else {})
        if allowed(object_type, role, "view"):
            assert response.status_code == 200
            if fmt and object_type.allow_export:
                assert response["Content-Type"].startswith(EXPORT_TYPES[fmt])
                assert "attachment" in response["Content-Disposition"]
        else:
            assert_refused(response, role)


@matrix
def test_detail(object_type, role, rows):
    """A detail page opens when the role may view the type and the row is in its scope."""
    client = rows.client(role)
    [obj] = rows.objects(1)
    response = client.get(url(object_type, "detail", obj))
    may_view = allowed(object_type, role, "view")
    if may_view and visible(object_type, client.user, "view", obj):
        assert response.status_code == 200
    else:
        assert_refused(response, role, out_of_scope=may_view)
    if may_view:
        # Rows inside a scoped user's scope (his own person, his company…) do open.
        own = restrict(object_type.get_queryset(), client.user, "view").first()
        if own is not None:
            assert client.get(url(object_type, "detail", own)).status_code == 200


@matrix
def test_create(object_type, role, rows):
    """The add form opens and saves only for roles that may add; refused posts save nothing."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = rows.client(role)
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


@matrix
def test_edit(object_type, role, rows):
    """Editing is allowed on rows the role may change; otherwise refused and nothing saved."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = rows.client(role)
    [obj] = rows.objects(1)
    data = form_data(object_type, obj)
    get = client.get(url(object_type, "edit", obj))
    post = client.post(url(object_type, "edit", obj), data)
    obj.refresh_from_db()
    may_type = allowed(object_type, role, "change")
    may = may_type and visible(object_type, client.user, "change", obj)
    if may:
        assert get.status_code == 200
        assert post.status_code == 302, post.content.decode()[:2000]
        assert getattr(obj, "version", 2) == 2
    else:
        assert_refused(get, role, out_of_scope=may_type)
        assert_refused(post, role, out_of_scope=may_type)
        assert getattr(obj, "version", 1) == 1


@matrix
def test_delete(object_type, role, rows):
    """Deletion is confirmed then done for roles that may delete the row; else nothing goes."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = rows.client(role)
    [obj] = rows.objects(1)
    model = object_type.model
    may_type = allowed(object_type, role, "delete")
    may = may_type and visible(object_type, client.user, "delete", obj)
    get = client.get(url(object_type, "delete", obj))
    post = client.post(url(object_type, "delete", obj))
    exists = model._default_manager.filter(pk=obj.pk).exists()
    if may:
        assert get.status_code == 200
        assert post.status_code == 302
        assert not exists
    else:
        assert_refused(get, role, out_of_scope=may_type)
        assert_refused(post, role, out_of_scope=may_type)
        assert exists


def bulk_value(object_type, objects):
    """A (field, POST value, stored value) that bulk edit may set on every object, or None.

    Booleans are flipped and dates moved, which no business rule forbids; relations get a
    fresh related record. Choices are avoided: a kind often carries a rule (contractor's staff
    needs a company) that would make the generic edit fail for a good reason.
    """
    fields = object_type.model._meta
    by_kind = {"bool": [], "date": [], "relation": []}
    for name in object_type.bulk_edit_fields:
        field = fields.get_field(name)
        if isinstance(field, django_models.BooleanField):
            by_kind["bool"].append(field)
        elif isinstance(field, django_models.DateField):
            by_kind["date"].append(field)
        elif field.many_to_one and field.related_model in FACTORY_FOR_MODEL:
            by_kind["relation"].append(field)
    if by_kind["bool"]:
        field = by_kind["bool"][0]
        value = not getattr(objects[0], field.attname)
        return field.attname, "true" if value else "false", value
    if by_kind["date"]:
        field = by_kind["date"][0]
        return field.attname, "2031-12-31", datetime.date(2031, 12, 31)
    if by_kind["relation"]:
        field = by_kind["relation"][0]
        related = FACTORY_FOR_MODEL[field.related_model]()
        return field.attname, related.pk, related.pk
    return None


def stored(object_type, pks, attname):
    return set(
        object_type.model._default_manager.filter(pk__in=pks).values_list(attname, flat=True)
    )


@matrix
def test_bulk_actions(object_type, role, rows):
    """Bulk edit and delete confirm then apply for roles with the right; others change nothing."""
    if object_type.read_only:
        assert_no_write_screens(object_type)
        return
    client = rows.client(role)
    objects = rows.objects(2)
    pks = [obj.pk for obj in objects]
    manager = object_type.model._default_manager
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
    edit = client.post(url(object_type, "bulk_edit"), {"pk": pks})
    delete = client.post(url(object_type, "bulk_delete"), {"pk": pks})
    assert edit.status_code == 200 if can_edit else edit.status_code in (302, 403)
    assert delete.status_code == 200 if can_delete else delete.status_code in (302, 403)
    if role is None:
        assert reverse("login") in edit["Location"]
        assert reverse("login") in delete["Location"]

    change = bulk_value(object_type, objects)
    if change is not None:
        attname, posted, value = change
        before = stored(object_type, pks, attname)
        applied = client.post(
            url(object_type, "bulk_edit"),
            {"pk": pks, "apply": "1", attname.removesuffix("_id"): posted},
        )
        if can_edit:
            assert applied.status_code == 302, applied.content.decode()[:2000]
            assert stored(object_type, pks, attname) == {value}
        else:
            assert applied.status_code in (302, 403)
            assert stored(object_type, pks, attname) == before

    confirmed = client.post(url(object_type, "bulk_delete"), {"pk": pks, "confirm": "1"})
    assert confirmed.status_code in (302, 403)
    assert manager.filter(pk__in=pks).count() == (0 if can_delete else 2)


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
    client.get(url(object_type, "detail", first))  # warm the content-type cache
    few = count_queries(client, url(object_type, "detail", first))
    make_objects(object_type, 15)
    many = count_queries(client, url(object_type, "detail", first))
    assert many == few


def add_related_rows(object_type, obj, count):
    """`count` more rows in each related list of the object, and as many history entries."""
    from django.contrib.contenttypes.models import ContentType

    from dpti.core.registry import registry
    from tests.factories import LogEntryFactory

    for accessor, _title in object_type.related_lists:
        relation = object_type.model._meta.get_field(accessor)
        related_model = relation.related_model
        for _n in range(count):
            if relation.many_to_many:
                item = FACTORY_FOR_MODEL[related_model]()
                getattr(item, relation.field.name).add(obj)
            else:
                item = FACTORY_FOR_MODEL[related_model](**{relation.field.name: obj})
            if related_model in registry:
                populate(item, registry.get(related_model))
    field = object_type.get_form_fields()[0]
    for _n in range(count):
        LogEntryFactory(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk,
            changes={field: ["avant", "après"]},
        )


# The most any detail page may cost, every panel included (the application page, with its
# impact graph and three long related lists, costs 32; the median page 13). Five of them are
# the session, the user and his rights, the same on every page.
DETAIL_QUERY_BUDGET = 35


@pytest.mark.parametrize("object_type", TYPES)
def test_detail_page_queries_do_not_grow_with_related_rows(object_type):
    """Related lists and history cost, for 20 rows each (two pages), at most a COUNT per list
    more than for 3 (one page, counted by its length)."""
    client = client_of("administrator")
    [obj] = make_objects(object_type, 1)
    add_related_rows(object_type, obj, 3)
    few = count_queries(client, url(object_type, "detail", obj))
    add_related_rows(object_type, obj, 17)
    many = count_queries(client, url(object_type, "detail", obj))
    # A related list longer than its page costs one COUNT more (a short one is counted by its
    # length), and nothing more however long it grows.
    assert few <= many <= few + len(object_type.related_lists)
    assert many <= DETAIL_QUERY_BUDGET


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
