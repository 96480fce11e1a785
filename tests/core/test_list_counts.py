"""Lists of big tables: estimated counts, and a table body written in Python like the template.

The estimate itself comes from PostgreSQL's statistics; elsewhere (SQLite) the tests replace
`table_estimate` to play a big table.
"""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from dpti.core import pagination, roles
from dpti.core.pagination import estimated_count, is_unfiltered, round_estimate, table_estimate
from dpti.core.registry import registry
from dpti.core.tables import cached_signature
from dpti.core.views.generic import ObjectListView
from dpti.directory.models import Person
from tests.factories import OrganisationUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE_LIST = "/directory/people/"


def people_api():
    return reverse("api:directory-person-list")


@pytest.fixture
def big_table(monkeypatch):
    """The statistics say the table holds 1,234,567 rows (whatever it really holds)."""
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using: 1_234_567)


def row_count_text(response):
    html = response.content.decode()
    counter = re.search(r'data-testid="row-count">\s*(.*?)\s*</p>', html, re.S).group(1)
    page = re.search(r'class="page-item active"><span class="page-link">(.*?)</span>', html)
    return counter, page.group(1) if page else None


def test_estimates_are_rounded_to_two_significant_digits():
    """998,412 → 1,000,000; 123,456 → 120,000; 1,234,567 → 1,200,000; 0 stays 0."""
    assert round_estimate(998_412) == 1_000_000
    assert round_estimate(123_456) == 120_000
    assert round_estimate(1_234_567) == 1_200_000
    assert round_estimate(0) == 0


def test_only_a_list_without_conditions_is_estimated():
    """A filter, a distinct or a grouping on other columns needs a real count; a per-row
    aggregate (grouped by the row) keeps one row per table row and may be estimated."""
    people = Person.objects.all()
    assert is_unfiltered(people.select_related("unit").order_by("last_name"))
    assert is_unfiltered(people.annotate(n=Count("teams")))
    assert not is_unfiltered(people.filter(last_name="Wamytan"))
    assert not is_unfiltered(people.distinct())
    assert not is_unfiltered(people.values("kind").annotate(n=Count("pk")))
    assert not is_unfiltered(people[:10])


def test_a_small_table_or_a_far_page_is_counted(monkeypatch):
    """Under 100,000 rows, or for rows past the first half of the estimate, no estimate."""
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using: 99_999)
    assert estimated_count(Person.objects.all(), 50) is None
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using: 200_000)
    assert estimated_count(Person.objects.all(), 100_000) == 200_000
    assert estimated_count(Person.objects.all(), 100_001) is None


def test_the_estimate_reads_postgresql_statistics():
    """On PostgreSQL, after ANALYZE, the estimate of a table is its number of rows (the
    statistics of a small table are exact); elsewhere there is none."""
    PersonFactory.create_batch(3)
    if connection.vendor != "postgresql":
        assert table_estimate(Person, "default") is None
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Person._meta.db_table}")
    assert table_estimate(Person, "default") == Person.objects.count()


def test_an_unfiltered_big_list_shows_about_how_many_without_counting(client_for, big_table):
    """« environ 1 200 000 enregistrements », « Page 1 sur environ 24 000 » (1,200,000 / 50),
    and no COUNT query on the table."""
    client = client_for(roles.ADMINISTRATOR)
    PersonFactory.create_batch(26)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PEOPLE_LIST, {"per_page": 25})
    assert row_count_text(response) == (
        "environ 1\u202f200\u202f000 enregistrements",
        "Page 1 sur environ 48\u202f000",
    )
    assert not [q for q in captured if "COUNT(" in q["sql"] and "directory_person" in q["sql"]]
    assert response.content.decode().count('name="pk"') == 25


def test_stale_statistics_give_way_to_a_count(client_for, big_table):
    """The statistics say 1,234,567 rows but the table holds 3 (emptied since): the page is
    short, so the list counts: « 3 enregistrements », no « about », a single page."""
    client = client_for(roles.ADMINISTRATOR)
    PersonFactory.create_batch(2)  # and the signed-in user's own person record, if any
    response = client.get(PEOPLE_LIST)
    paginator = response.context["table"].paginator
    assert (paginator.estimated, paginator.count) == (False, Person.objects.count())
    assert row_count_text(response) == (f"{Person.objects.count()} enregistrements", None)


def test_a_filtered_list_or_a_far_page_is_counted_exactly(client_for, big_table):
    """A quick search counts exactly; a page number past half the estimate too, and when it is
    past the real end the list shows its real last page."""
    client = client_for(roles.ADMINISTRATOR)
    PersonFactory(last_name="Wamytan")
    PersonFactory(last_name="Gomès")
    assert row_count_text(client.get(PEOPLE_LIST, {"q": "Wamytan"}))[0] == "1 enregistrement"
    far = client.get(PEOPLE_LIST, {"page": 20_000})
    paginator = far.context["table"].paginator
    assert (paginator.estimated, paginator.count, far.context["table"].page.number) == (
        False,
        Person.objects.count(),
        1,
    )


def test_a_scoped_list_is_counted_exactly(client_for, big_table):
    """A requester's list is restricted to what he holds: its count is exact."""
    client = client_for(roles.REQUESTER)
    response = client.get(reverse(registry.get("itpark.device").url_name("list")))
    assert response.status_code == 200
    assert response.context["table"].paginator.estimated is False


def test_the_api_says_when_its_count_is_an_estimate(client_for, big_table):
    """Unfiltered: count 1,200,000, count_estimated true and a next link; filtered, at an offset
    past half the estimate (617,283), or on a short page: the exact count and no next link."""
    client = client_for(roles.ADMINISTRATOR)
    unit = OrganisationUnitFactory()
    PersonFactory.create_batch(2, unit=unit)
    PersonFactory()
    total = Person.objects.count()
    first = client.get(people_api(), {"limit": 2}).json()
    assert (first["count"], first["count_estimated"]) == (1_200_000, True)
    assert "offset=2" in first["next"]
    assert len(first["results"]) == 2
    filtered = client.get(people_api(), {"unit": unit.pk}).json()
    assert (filtered["count"], filtered["count_estimated"]) == (2, False)
    far = client.get(people_api(), {"offset": 617_284}).json()
    assert (far["count"], far["count_estimated"], far["next"]) == (total, False, None)
    short = client.get(people_api(), {"limit": 2, "offset": total - 1}).json()
    assert (short["count"], short["count_estimated"], short["next"]) == (total, False, None)
    stale = client.get(people_api(), {"limit": 2, "offset": 1000}).json()
    assert (stale["count"], stale["count_estimated"], stale["results"]) == (total, False, [])


def test_the_api_schema_documents_the_estimate(admin_client_dpti):
    """The OpenAPI schema of a list answer has `count_estimated` beside `count`."""
    schema = admin_client_dpti.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paginated = schema["components"]["schemas"]["PaginatedDirectoryPersonList"]["properties"]
    assert paginated["count_estimated"]["type"] == "boolean"
    assert list(paginated)[:2] == ["count", "count_estimated"]


# The table body -------------------------------------------------------------------------------

TEMPLATE_BODY = Template(
    "{% load l10n %}<tbody {{ table.attrs.tbody.as_html }}>{% for row in table.paginated_rows %}"
    "<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    "<td {{ column.attrs.td.as_html }}>{% if column.localize == None %}{{ cell }}{% else %}"
    "{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}"
    "{% endif %}</td>{% endfor %}</tr>{% empty %}{% if table.empty_text %}"
    '<tr><td colspan="{{ table.columns|length }}">{{ table.empty_text }}</td></tr>{% endif %}'
    "{% endfor %}</tbody>"
)
PYTHON_BODY = Template("{% load dpti_tables %}{% table_body table %}")


def bodies(user, label):
    """The body of the type's list with every column, by django-tables2's template and by
    `table_body`."""
    object_type = registry.get(label)
    request = RequestFactory().get("/")
    request.user = user
    view = ObjectListView(object_type=object_type)
    view.request = request
    _filterset, queryset = view.filtered(request)
    columns = [name for name, _label in object_type.table.selectable_columns()]
    rendered = []
    for template in (TEMPLATE_BODY, PYTHON_BODY):
        table = view.build_table(request, queryset, columns)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        html = template.render(RequestContext(request, {"table": table}))
        rendered.append(re.sub(r">\s+<", "><", html).strip())
    return rendered


@pytest.mark.parametrize(
    "label", ["directory.person", "estate.room", "assets.asset", "itpark.device"]
)
def test_the_table_body_is_the_one_of_django_tables2(label, user_with_role):
    """Links, choices, dates, amounts, booleans, related columns and escaping: the body written
    in Python is, character for character, the one django-tables2's template writes."""
    from tests.factories import FACTORY_FOR_MODEL

    user = user_with_role(roles.ADMINISTRATOR)
    model = registry.get(label).model
    FACTORY_FOR_MODEL[model].create_batch(3)
    if label == "directory.person":
        PersonFactory(last_name="<b>Dupont & fils</b>")
    by_template, by_python = bodies(user, label)
    assert by_python == by_template
    assert by_python.count("<tr ") == model._default_manager.count()


def test_an_empty_table_body_says_so(user_with_role):
    """No row: one cell across every column with the empty text, as the template writes."""
    by_template, by_python = bodies(user_with_role(roles.ADMINISTRATOR), "itpark.licence")
    assert by_python == by_template
    assert by_python.count("<tr") == 1
    assert "colspan" in by_python


def test_signatures_are_remembered_per_function():
    """The cached signature of a bound method drops `self` like django-tables2's, for any
    instance; a plain function keeps all its arguments."""
    from django_tables2.utils import call_with_appropriate

    class Column:
        def render(self, value, record):
            return (self, value, record)

    def link(record):
        return record

    first, second = Column(), Column()
    assert cached_signature(first.render) == (("value", "record"), None)
    assert cached_signature(second.render) == (("value", "record"), None)
    assert cached_signature(link) == (("record",), None)
    assert call_with_appropriate(second.render, {"value": 1, "record": 2, "table": 3}) == (
        second,
        1,
        2,
    )


# The filters' selects -------------------------------------------------------------------------


def test_a_relation_select_is_the_one_django_writes(user_with_role):
    """The asset list's building filter, a building chosen and one named with markup: the
    select written in Python is Django's (options, selected one, escaping, attributes)."""
    from django import forms

    from dpti.core.filters import QuickSelect
    from tests.factories import BuildingFactory

    BuildingFactory.create_batch(3)
    chosen = BuildingFactory(name='<Siège> "A" & co')
    request = RequestFactory().get("/", {"room__floor__building": chosen.pk})
    request.user = user_with_role(roles.ADMINISTRATOR)
    view = ObjectListView(object_type=registry.get("assets.asset"))
    view.request = request
    filterset, _queryset = view.filtered(request)
    field = filterset.form["room__floor__building"]
    assert isinstance(field.field.widget, QuickSelect)
    attrs = field.build_widget_attrs({"class": "form-select", "id": field.auto_id})
    django_html = forms.Select.render(field.field.widget, field.html_name, field.value(), attrs)
    quick_html = field.as_widget(attrs={"class": "form-select"})
    assert re.sub(r">\s+<", "><", quick_html) == re.sub(r">\s+<", "><", django_html.strip())
    assert f'<option value="{chosen.pk}" selected>' in quick_html
    assert "&lt;Siège&gt; &quot;A&quot; &amp; co" in quick_html


def test_a_date_cell_is_the_one_of_django_tables2_template():
    """A date column writes what django-tables2's `{{ value|date:"d/m/Y"|default:default }}`
    template writes (14/07/2025), without compiling it for each cell."""
    import datetime

    import django_tables2 as tables

    from dpti.core.tables import LocalDateColumn

    class Table(tables.Table):
        on = LocalDateColumn(format="d/m/Y")
        by_template = tables.DateColumn(format="d/m/Y", accessor="on")

    table = Table([{"on": datetime.date(2025, 7, 14)}])
    row = next(iter(table.rows))
    assert row.get_cell("on") == "14/07/2025"
    assert row.get_cell("on") == row.get_cell("by_template")


def test_ip_addresses_sort_by_number(client_for):
    """Sorting the IP address list by address follows the numeric key (IPv4 before IPv6):
    10.0.0.9 before 10.0.0.10, as text it would come after."""
    from tests.factories import IpAddressFactory

    for address in ("10.0.0.10", "2001:db8::1", "10.0.0.9", "9.1.1.1"):
        IpAddressFactory(address=address)
    client = client_for(roles.ADMINISTRATOR)
    url = reverse(registry.get("itpark.ipaddress").url_name("list"))
    html = client.get(url, {"sort": "address"}).content.decode()
    shown = re.findall(r'<a href="/itpark/ip-addresses/\d+/">([^<]+)</a>', html)
    assert shown == ["9.1.1.1", "10.0.0.9", "10.0.0.10", "2001:db8::1"]
    html = client.get(url, {"sort": "-address"}).content.decode()
    shown = re.findall(r'<a href="/itpark/ip-addresses/\d+/">([^<]+)</a>', html)
    assert shown == ["2001:db8::1", "10.0.0.10", "10.0.0.9", "9.1.1.1"]
