"""Impact analysis: what depends on a server, a switch or an application, transitively."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.core import roles
from dpti.directory.scoping import person_of
from dpti.itpark import impact
from dpti.itpark.models import Device
from tests.conftest import make_user
from tests.factories import ApplicationFactory, DeviceFactory, InterfaceFactory

pytestmark = pytest.mark.django_db


def server(name):
    return DeviceFactory(name=name, kind=Device.Kind.SERVER)


def vm(name, host):
    return DeviceFactory(name=name, kind=Device.Kind.VIRTUAL_MACHINE, asset=None, host=host)


def names(walk):
    """{name: (depth, 'A → B → C')} of a walk's nodes."""
    return {
        str(n.obj): (n.depth, " → ".join(str(step.obj) for step in n.chain)) for n in walk.nodes
    }


@pytest.fixture
def estate():
    """SRV-01 hosts SRV-VM-01 (GED Alfresco) and runs Messagerie; Portail élus needs the GED."""
    host = server("SRV-01")
    guest = vm("SRV-VM-01", host)
    ged = ApplicationFactory(name="GED Alfresco", criticality=3)
    ged.servers.add(guest)
    mail = ApplicationFactory(name="Messagerie", criticality=2)
    mail.servers.add(host)
    portal = ApplicationFactory(name="Portail élus", criticality=4)
    portal.depends_on.add(ged)
    ApplicationFactory(name="Paie").servers.add(server("SRV-02"))  # unrelated
    return {"host": host, "guest": guest, "ged": ged, "mail": mail, "portal": portal}


def test_a_server_impacts_its_vms_their_applications_and_the_applications_depending_on_them(
    estate,
):
    """SRV-01 → its VM and Messagerie (1), the GED on the VM (2), the portal needing it (3)."""
    walk = impact.dependents(estate["host"])

    assert names(walk) == {
        "SRV-VM-01": (1, "SRV-VM-01"),
        "Messagerie": (1, "Messagerie"),
        "GED Alfresco": (2, "SRV-VM-01 → GED Alfresco"),
        "Portail élus": (3, "SRV-VM-01 → GED Alfresco → Portail élus"),
    }
    assert impact.summary(walk.nodes) == {
        "applications": 3,
        "devices": 0,
        "vms": 1,
        "total": 4,
        "criticality": 4,
        "criticality_label": "4 — vital",
    }
    assert walk.truncated is False


def test_a_switch_impacts_the_devices_on_its_ports_in_either_link_direction(estate):
    """Links recorded on either side count; a downstream switch passes the impact on."""
    core = DeviceFactory(name="SW-CORE", kind=Device.Kind.SWITCH)
    floor = DeviceFactory(name="SW-ETAGE-2", kind=Device.Kind.SWITCH)
    pc = DeviceFactory(name="PC-0001")
    # SW-CORE → SRV-01 recorded on the switch side; SW-ETAGE-2 → SW-CORE on the other side.
    InterfaceFactory(
        device=core, name="Gi1/0/1", link=InterfaceFactory(device=estate["host"], name="eth0")
    )
    InterfaceFactory(device=floor, name="Gi1/0/48", link=InterfaceFactory(device=core, name="Gi2"))
    InterfaceFactory(device=floor, name="Gi1/0/3", link=InterfaceFactory(device=pc, name="eth0"))

    result = names(impact.dependents(core))

    assert result == {
        "SRV-01": (1, "SRV-01"),
        "SW-ETAGE-2": (1, "SW-ETAGE-2"),
        "Messagerie": (2, "SRV-01 → Messagerie"),
        "SRV-VM-01": (2, "SRV-01 → SRV-VM-01"),
        "PC-0001": (2, "SW-ETAGE-2 → PC-0001"),
        "GED Alfresco": (3, "SRV-01 → SRV-VM-01 → GED Alfresco"),
        "Portail élus": (4, "SRV-01 → SRV-VM-01 → GED Alfresco → Portail élus"),
    }


def test_an_application_impacts_the_applications_depending_on_it_transitively(estate):
    """GED → Portail élus → Vote électronique; the servers are not dependents."""
    vote = ApplicationFactory(name="Vote électronique")
    vote.depends_on.add(estate["portal"])

    assert names(impact.dependents(estate["ged"])) == {
        "Portail élus": (1, "Portail élus"),
        "Vote électronique": (2, "Portail élus → Vote électronique"),
    }


def test_a_dependency_cycle_ends_and_each_application_is_reported_once(estate):
    """GED → Portail → Annuaire → GED: the walk ends; the GED itself is not its own dependent."""
    directory = ApplicationFactory(name="Annuaire")
    directory.depends_on.add(estate["portal"])
    estate["ged"].depends_on.add(directory)
    estate["mail"].depends_on.add(estate["mail"])  # a self-loop too

    from_ged = impact.dependents(estate["ged"])
    from_host = impact.dependents(estate["host"])

    assert names(from_ged) == {
        "Portail élus": (1, "Portail élus"),
        "Annuaire": (2, "Portail élus → Annuaire"),
    }
    keys = [n.key for n in from_host.nodes]
    assert len(keys) == len(set(keys)) == 5  # VM, Messagerie, GED, Portail, Annuaire


def test_the_walk_stops_at_the_cap_and_says_so(estate):
    """With a cap of 2, only two nodes are kept and the walk is marked truncated."""
    walk = impact.dependents(estate["host"], limit=2)

    assert len(walk.nodes) == 2
    assert walk.truncated is True


def test_queries_do_not_grow_with_the_number_of_nodes_at_one_depth():
    """Ten times more VMs and applications at the same depths costs the same queries."""

    def count(width):
        host = server(f"SRV-{width}")
        for i in range(width):
            app = ApplicationFactory(name=f"App {width}-{i}")
            app.servers.add(vm(f"VM-{width}-{i}", host))
            ApplicationFactory(name=f"Front {width}-{i}").depends_on.add(app)
        with CaptureQueriesContext(connection) as queries:
            walk = impact.dependents(host)
        assert len(walk.nodes) == 3 * width
        return len(queries)

    assert count(2) == count(20) <= 12


def test_only_what_the_user_may_view_is_listed_and_counted():
    """A requester sees, behind a switch, his own PC only; the IT manager sees both PCs."""
    requester = make_user(roles.REQUESTER)
    switch = DeviceFactory(name="SW-ETAGE-1", kind=Device.Kind.SWITCH)
    mine = DeviceFactory(name="PC-MIEN")
    mine.asset.holder = person_of(requester)
    mine.asset.save()
    other = DeviceFactory(name="PC-AUTRE")
    for port, pc in (("Gi1", mine), ("Gi2", other)):
        InterfaceFactory(device=switch, name=port, link=InterfaceFactory(device=pc))

    seen_by_requester, _ = impact.visible_dependents(switch, requester)
    seen_by_manager, _ = impact.visible_dependents(switch, make_user(roles.IT_MANAGER))

    assert [str(n.obj) for n in seen_by_requester] == ["PC-MIEN"]
    assert impact.summary(seen_by_requester)["total"] == 1
    assert sorted(str(n.obj) for n in seen_by_manager) == ["PC-AUTRE", "PC-MIEN"]


def test_a_hidden_step_of_a_path_is_masked(estate):
    """A user who may not view the VM reads « … » in its place, without its name or link."""
    walk = impact.dependents(estate["host"])
    for node in walk.nodes:
        node.visible = node.kind != impact.VM

    portal = next(level for level in impact._levels(walk.nodes) if level["depth"] == 3)

    assert [label for label, _url in portal["items"][0]["path"]] == [
        "…",
        "GED Alfresco",
        "Portail élus",
    ]
    assert portal["items"][0]["path"][0][1] is None


def test_the_device_page_shows_the_impact_panel_with_the_path(client_for, estate):
    """The server's page lists the portal through its VM and the GED, and the vital level."""
    client = client_for(roles.IT_MANAGER)

    response = client.get(reverse("itpark:device_detail", args=[estate["host"].pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="impact-panel"' in page
    assert "SRV-VM-01</a> → <a" in page
    assert "Portail élus" in page
    assert 'data-testid="impact-criticality"' in page
    assert estate["portal"].get_absolute_url() in page


def test_the_application_page_shows_what_it_depends_on(client_for, estate):
    """The portal needs the GED, the VM it runs on and that VM's host."""
    client = client_for(roles.IT_MANAGER)

    walk = impact.requirements(estate["portal"])
    response = client.get(reverse("itpark:application_detail", args=[estate["portal"].pk]))

    assert names(walk) == {
        "GED Alfresco": (1, "GED Alfresco"),
        "SRV-VM-01": (2, "GED Alfresco → SRV-VM-01"),
        "SRV-01": (3, "GED Alfresco → SRV-VM-01 → SRV-01"),
    }
    assert 'data-testid="impact-requirements"' in response.content.decode()


def test_a_workstation_without_dependents_has_no_panel(client_for):
    """A plain workstation page carries no impact card."""
    client = client_for(roles.IT_MANAGER)
    pc = DeviceFactory(name="PC-SEUL")

    response = client.get(reverse("itpark:device_detail", args=[pc.pk]))

    assert response.status_code == 200
    assert 'data-testid="impact-panel"' not in response.content.decode()


def test_an_access_switch_impacts_what_hangs_below_it_not_the_core(estate):
    """Walking from an access switch never climbs through its uplink to the core and back."""
    from dpti.itpark.impact import dependents
    from dpti.itpark.models import Device
    from tests.factories import DeviceFactory, InterfaceFactory

    core = DeviceFactory(name="SW-CORE", kind=Device.Kind.SWITCH)
    access_a = DeviceFactory(name="SW-ACC-A", kind=Device.Kind.SWITCH)
    access_b = DeviceFactory(name="SW-ACC-B", kind=Device.Kind.SWITCH)
    pc_a = DeviceFactory(name="PC-A")
    pc_b = DeviceFactory(name="PC-B")
    for access, pc in ((access_a, pc_a), (access_b, pc_b)):
        core_port = InterfaceFactory(device=core)
        InterfaceFactory(device=access, is_uplink=True, link=core_port)
        pc_port = InterfaceFactory(device=pc, is_uplink=True)
        InterfaceFactory(device=access, link=pc_port)

    below_a = {node.obj.name for node in dependents(access_a).nodes}
    below_core = {node.obj.name for node in dependents(core).nodes}

    assert below_a == {"PC-A"}
    assert below_core == {"SW-ACC-A", "SW-ACC-B", "PC-A", "PC-B"}
