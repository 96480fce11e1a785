"""List exports: every cell as written by hand, the queries, the cells django-tables2 gives."""

import csv
import datetime
import io

import django_tables2 as tables
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import load_workbook

from dpti.assets.models import Asset
from dpti.core import roles
from dpti.core.exports import _plain, table_rows
from dpti.core.registry import registry
from dpti.core.tables import ObjectTable
from tests.factories import (
    AssetCategoryFactory,
    AssetFactory,
    BuildingFactory,
    CompanyFactory,
    FloorFactory,
    OrganisationUnitFactory,
    PersonFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db

ASSETS = registry.get(Asset)


def export(client, fmt, **params):
    """The bytes of an export of the asset list."""
    response = client.get(reverse(ASSETS.url_name("list")), {**params, "export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def choose_all_columns(client):
    client.post(reverse(ASSETS.url_name("columns")), {"columns": ASSETS.get_list_columns()})


@pytest.fixture
def two_assets():
    """A fully described chair in an office, and a bare screen in stock, held by nobody."""
    category = AssetCategoryFactory(code="MOB-T", name="Mobilier de test")
    room = RoomFactory(
        code="VAU-1-104",
        name="Bureau 104",
        floor=FloorFactory(building=BuildingFactory(name="Vauban")),
    )
    chair = AssetFactory(
        inventory_number="INV-0001",
        label="Fauteuil ergonomique",
        category=category,
        brand="Steelcase",
        model_name="Leap",
        serial_number="SN-42",
        acquisition_date=datetime.date(2024, 3, 5),
        value=150_000,
        supplier=CompanyFactory(name="Bureau Pacifique"),
        room=room,
        holder=PersonFactory(last_name="Néaoutyine", first_name="Marie"),
        holder_unit=OrganisationUnitFactory(name="Direction du patrimoine", code="DPTI"),
        condition=Asset.Condition.GOOD,
        status=Asset.Status.IN_SERVICE,
        warranty_end=datetime.date(2027, 3, 4),
        order_reference="BC-2024-017",
        budget_line="21-2184",
    )
    screen = AssetFactory(
        inventory_number="INV-0002",
        label="Écran 27 pouces",
        category=category,
        acquisition_date=datetime.date(2025, 12, 31),
        value=48_500,
        room=None,
        condition=Asset.Condition.NEW,
        status=Asset.Status.IN_STOCK,
    )
    return chair, screen


HEADER = [
    "Numéro d'inventaire",
    "Libellé",
    "Catégorie",
    "Marque",
    "Modèle",
    "Numéro de série",
    "Date d'acquisition",
    "Valeur d'acquisition TTC (XPF)",
    "Fournisseur",
    "Local",
    "Bâtiment",
    "Détenteur",
    "Service détenteur",
    "État",
    "Statut",
    "Fin de garantie",
    "Référence de la commande ou du marché",
    "Ligne budgétaire de financement",
]


def test_csv_export_writes_each_column_as_on_screen_without_html(admin_client_dpti, two_assets):
    """CSV of every asset column: related records by name, choices by their French label,
    dates dd/mm/yyyy, the amount as a plain number, an empty cell for nothing."""
    choose_all_columns(admin_client_dpti)
    rows = csv_rows(export(admin_client_dpti, "csv", sort="inventory_number"))
    assert rows[0] == HEADER
    assert rows[1] == [
        "INV-0001",
        "Fauteuil ergonomique",
        "MOB-T — Mobilier de test",
        "Steelcase",
        "Leap",
        "SN-42",
        "05/03/2024",
        "150000",
        "Bureau Pacifique",
        "VAU-1-104 — Bureau 104",
        "Vauban",
        "NÉAOUTYINE Marie",
        "Direction du patrimoine (DPTI)",
        "Bon",
        "En service",
        "04/03/2027",
        "BC-2024-017",
        "21-2184",
    ]
    assert rows[2] == [
        "INV-0002",
        "Écran 27 pouces",
        "MOB-T — Mobilier de test",
        "",
        "",
        "",
        "31/12/2025",
        "48500",
        "",
        "",
        "",  # no room, so no building: the path stops at the empty room
        "",
        "",
        "Neuf",
        "En stock",
        "",
        "",
        "",
    ]
    assert len(rows) == 3


def test_xlsx_export_keeps_amounts_as_numbers(admin_client_dpti, two_assets):
    """XLSX of the same columns: a bold header, the same texts, the amount a number the
    accountant can add up."""
    choose_all_columns(admin_client_dpti)
    content = export(admin_client_dpti, "xlsx", sort="inventory_number")
    rows = xlsx_rows(content)
    assert rows[0] == HEADER
    assert all(cell.font.bold for cell in load_workbook(io.BytesIO(content)).active[1])
    chair, screen = rows[1], rows[2]
    assert chair[:8] == [
        "INV-0001",
        "Fauteuil ergonomique",
        "MOB-T — Mobilier de test",
        "Steelcase",
        "Leap",
        "SN-42",
        "05/03/2024",
        150_000,
    ]
    assert chair[8:] == [
        "Bureau Pacifique",
        "VAU-1-104 — Bureau 104",
        "Vauban",
        "NÉAOUTYINE Marie",
        "Direction du patrimoine (DPTI)",
        "Bon",
        "En service",
        "04/03/2027",
        "BC-2024-017",
        "21-2184",
    ]
    assert screen[6:8] == ["31/12/2025", 48_500]
    assert screen[13:15] == ["Neuf", "En stock"]
    assert [screen[3], screen[9], screen[15]] in ([None] * 3, [""] * 3)
    assert len(rows) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_rows(admin_client_dpti, fmt):
    """Exporting 30 assets with every column costs the same queries as exporting 3:
    related records come with the rows, never one query per row."""
    choose_all_columns(admin_client_dpti)

    def queries_for(count):
        Asset.objects.all().delete()
        for _index in range(count):
            AssetFactory(holder=PersonFactory(), supplier=CompanyFactory())
        export(admin_client_dpti, fmt)  # the filters' cached row counts are taken once
        with CaptureQueriesContext(connection) as captured:
            content = export(admin_client_dpti, fmt)
        rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)
        assert len(rows) == count + 1
        return [query["sql"] for query in captured.captured_queries]

    few, many = queries_for(3), queries_for(30)
    assert len(many) == len(few)
    # Session, user, permissions, groups, chosen columns, then the assets in one query.
    assert len(few) == 7
    # PostgreSQL reads the chunks through a server-side cursor (DECLARE … CURSOR FOR SELECT).
    assert 'SELECT "assets_asset"."id"' in few[-1].split(" CURSOR FOR ")[-1][:30]


class UnusualTable(ObjectTable):
    """Columns that take django-tables2's less common ways to a value."""

    number = tables.Column(accessor="inventory_number")
    status = tables.Column()
    site = tables.Column(accessor="room__floor__building__site")
    condition_text = tables.Column(accessor="get_condition_display")
    with_record = tables.Column(accessor="label", empty_values=())
    shout = tables.Column(accessor="label")
    never = tables.Column(accessor="label")
    missing = tables.Column(accessor="no_such_attribute")
    value = tables.Column()
    acquired = tables.DateColumn(accessor="acquisition_date")

    class Meta:
        model = Asset
        fields = ()

    def render_with_record(self, record):
        return f"{record.label} ({record.value})"

    def value_shout(self, value, bound_row):
        return value.upper()

    def render_never(self, argument_it_cannot_get):
        return "never called"


def test_cells_are_those_of_django_tables2(two_assets):
    """Each cell of the export is the value `Table.as_values()` gives (render_ and value_
    methods, choices' labels, paths through an empty relation, a method that cannot be
    called), read from a queryset or from a plain list of records."""
    expected_chair = [
        "INV-0001",
        "En service",
        str(two_assets[0].room.floor.building.site),
        "Bon",
        "Fauteuil ergonomique (150000)",
        "FAUTEUIL ERGONOMIQUE",
        "",
        "",
        150_000,
        "2024-03-05",  # django-tables2's own DateColumn writes ISO dates in exports
    ]
    for data in (Asset.objects.order_by("inventory_number"), sorted(two_assets, key=str)):
        table = UnusualTable(data)
        rows = list(table_rows(table))
        reference = table.as_values(exclude_columns=("select",))
        assert rows[0] == [capfirst(str(header)) for header in next(reference)]
        assert rows[1:] == [[_plain(value) for value in row] for row in reference]
        assert rows[1] == expected_chair
        assert rows[2][2:4] == ["", "Neuf"]  # no room, no site


def test_dictionaries_are_read_by_django_tables2():
    """Rows that are not model instances (dictionaries) are read the library's way."""

    class Plain(tables.Table):
        name = tables.Column()
        town = tables.Column(accessor="address__town")

    table = Plain([{"name": "Vauban", "address": {"town": "Nouméa"}}, {"name": "Ducos"}])
    assert list(table_rows(table)) == [["Name", "Town"], ["Vauban", "Nouméa"], ["Ducos", ""]]


def test_export_leaves_out_the_names_a_scoped_user_may_not_read(client_for):
    """A requester who chose every column exports only those whose related records he may
    read: not the category, the supplier nor the building (the institution's business)."""
    requester = client_for(roles.REQUESTER)
    AssetFactory(
        inventory_number="INV-0003",
        holder=requester.user.person,
        supplier=CompanyFactory(name="Bureau Pacifique"),
    )
    choose_all_columns(requester)
    content = export(requester, "csv")
    rows = csv_rows(content)
    hidden = {"Catégorie", "Fournisseur", "Bâtiment"}
    assert rows[0] == [name for name in HEADER if name not in hidden]
    assert len(rows) == 2
    assert rows[1][0] == "INV-0003"
    assert "Bureau Pacifique" not in content.decode("utf-8")
