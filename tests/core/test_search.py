"""The global search and the lists' quick search (dpti.core.search).

Every word must be found in one of a type's search fields, whether the field is the type's
own (an order's object), behind a relation (its supplier's name, its lot's contract's
reference) or behind a reverse relation (a contract's lots' holders); within the user's
rights; in one query for the keys of every type plus one per type that has results, however
many rows match. On PostgreSQL, the trigram indexes serve Django's `icontains` SQL.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.core import roles
from dpti.core.registry import registry
from dpti.core.search import RESULTS_PER_TYPE, global_search
from dpti.directory.models import Person
from dpti.directory.scoping import company_of
from dpti.procurement.models import Contract, PurchaseOrder
from tests.conftest import make_user
from tests.factories import (
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    PersonFactory,
    PurchaseOrderFactory,
)

pytestmark = pytest.mark.django_db


def found(groups, model):
    """The objects of one model among the global search's groups ([] if no group)."""
    for group in groups:
        if group["object_type"].model is model:
            return group["objects"]
    return []


@pytest.fixture
def orders():
    """Two orders of the company Quokka (one about a xylophone), one of another company
    under a contract referenced ZEBU-2031; a contract with two lots held by Quokka."""
    quokka = CompanyFactory(name="Quokka Fournitures")
    zebu = ContractFactory(reference="ZEBU-2031", object="Instruments")
    both = ContractFactory(reference="ESSAI-M-Q", object="Fournitures diverses")
    data = {
        "xylophone": PurchaseOrderFactory(
            object="Xylophone de concert", lot=ContractLotFactory(holder=quokka)
        ),
        "plain": PurchaseOrderFactory(object="Pupitres", lot=ContractLotFactory(holder=quokka)),
        "zebu": PurchaseOrderFactory(object="Timbales", lot=ContractLotFactory(contract=zebu)),
        "both": both,
    }
    ContractLotFactory(contract=both, holder=quokka, title="Papier")
    ContractLotFactory(contract=both, holder=quokka, title="Encre")
    return data


def test_each_path_of_the_search_fields_finds_its_objects(orders):
    """Own field (object), forward relation (supplier__name), two relations deep
    (lot__contract__reference), reverse relation (lots__holder__name): each finds the right
    objects, and a contract two of whose lots match is listed once."""
    user = make_user(roles.PROCUREMENT_MANAGER)
    assert found(global_search("xylophone", user), PurchaseOrder) == [orders["xylophone"]]
    assert set(found(global_search("quokka", user), PurchaseOrder)) == {
        orders["xylophone"],
        orders["plain"],
    }
    assert found(global_search("zebu-2031", user), PurchaseOrder) == [orders["zebu"]]
    contracts = found(global_search("quokka", user), Contract)
    assert orders["both"] in contracts
    assert len(contracts) == len(set(contracts))


def test_every_word_must_match_in_some_field(orders):
    """« quokka xylophone »: the supplier's name and the order's object each hold one word;
    Quokka's other order holds only one of them and is left out."""
    user = make_user(roles.PROCUREMENT_MANAGER)
    assert found(global_search("quokka xylophone", user), PurchaseOrder) == [orders["xylophone"]]
    assert found(global_search("quokka timbales", user), PurchaseOrder) == []


def test_the_lists_quick_search_follows_the_relations(client_for, orders):
    """The orders' list searched for the supplier's name shows its two orders, not the
    third; the contracts' list searched for a lot holder shows each of the three contracts
    where it holds a lot once, the one where it holds two lots included."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    page = client.get(reverse("procurement:purchaseorder_list"), {"q": "Quokka"})
    html = page.content.decode()
    for name, shown in (("xylophone", True), ("plain", True), ("zebu", False)):
        url = reverse("procurement:purchaseorder_detail", args=[orders[name].pk])
        assert (url in html) is shown, name
    page = client.get(reverse("procurement:contract_list"), {"q": "Quokka"})
    shown = [row.record.pk for row in page.context["table"].paginated_rows]
    held = {orders["both"], orders["xylophone"].lot.contract, orders["plain"].lot.contract}
    assert sorted(shown) == sorted(contract.pk for contract in held)


def test_eight_objects_per_type_in_the_lists_order_and_more(db):
    """Ten people named Wenceslas…: eight are shown, sorted as in the people's list (last
    name, first name), and « see all » is offered."""
    for index in range(10):
        PersonFactory(last_name=f"Wenceslas{9 - index}", first_name="Anne")
    user = make_user(roles.ADMINISTRATOR)
    groups = global_search("wenceslas", user)
    group = next(g for g in groups if g["object_type"].model is Person)
    names = [person.last_name for person in group["objects"]]
    assert len(names) == RESULTS_PER_TYPE
    assert names == sorted(names)
    assert all(name.startswith("Wenceslas") for name in names)
    assert group["more"] is True


def test_rights_apply_to_the_search(db):
    """A contractor finds his colleague, not the other company's employee of the same name;
    a technician, who may not see commitments, gets no commitment group."""
    contractor = make_user(roles.CONTRACTOR)
    colleague = PersonFactory(
        last_name="Ouvea", company_id=company_of(contractor), kind="contractor_staff", unit=None
    )
    PersonFactory(last_name="Ouvea", company=CompanyFactory(), kind="contractor_staff", unit=None)
    assert found(global_search("ouvea", contractor), Person) == [colleague]
    technician = make_user(roles.TECHNICIAN)
    commitment_type = registry.get("procurement.commitment")
    assert all(g["object_type"] is not commitment_type for g in global_search("essai", technician))


def test_queries_do_not_grow_with_the_matches(db):
    """One query for the keys of every type, one per type with results: 2 with two matching
    people, 3 with twelve people and five orders, never one per row or per searched type."""
    user = make_user(roles.ADMINISTRATOR)
    for _index in range(2):
        PersonFactory(last_name="Zorglub")
    global_search("zorglub", user)  # warm the caches (roles, row counts)
    with CaptureQueriesContext(connection) as few:
        groups = global_search("zorglub", user)
    assert [g["object_type"].model for g in groups] == [Person]
    assert len(few) == 2
    for _index in range(10):
        PersonFactory(last_name="Zorglub")
    for _index in range(5):
        PurchaseOrderFactory(object="Zorglub")
    global_search("zorglub", user)
    with CaptureQueriesContext(connection) as many:
        groups = global_search("zorglub", user)
    assert len(groups) == 2
    assert len(many) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_trigram_indexes_serve_djangos_icontains(db):
    """The migrations created the indexes, and PostgreSQL can answer `label__icontains`
    with the label's index (the expression must be the one Django writes)."""
    from dpti.assets.models import Asset

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        names = {row[0] for row in cursor.fetchall()}
        assert {
            "assets_asset_label_trgm",
            "directory_person_last_name_trgm",
            "procurement_purchaseorder_object_trgm",
            "itpark_ipaddress_address_trgm",
        } <= names
        # Without the list's order and with plain scans off, the planner's only way to use an
        # index for the condition is a bitmap scan of the trigram index (with the order, it may
        # walk the order's index and filter, which says nothing about the trigram index).
        rows = Asset.objects.filter(label__icontains="xylo").order_by()
        sql, params = rows.query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "assets_asset_label_trgm" in plan
