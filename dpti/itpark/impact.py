"""Impact analysis: what stops working when a server, a network device or an application stops.

The dependency graph is walked breadth-first, one level at a time: each level costs a fixed
handful of bulk queries (`__in` on the level's ids), never one query per node, and a visited
set makes a dependency cycle end (each object is reported once, at its shortest depth).
"""

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext

from dpti.core.permissions import restrict
from dpti.itpark.models import Application, Device, Interface

# Beyond this many impacted objects the walk stops and says so.
MAX_NODES = 2000

DEVICE = "device"
VM = "vm"
APPLICATION = "application"


@dataclass
class Node:
    """One impacted (or required) object, how deep it sits and the chain that leads to it."""

    obj: object
    kind: str  # DEVICE, VM or APPLICATION
    depth: int
    parent: "Node | None" = None
    visible: bool = True

    @property
    def key(self):
        return node_key(self.obj)

    @property
    def chain(self):
        """The nodes from the first level down to this one."""
        nodes, node = [], self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]


@dataclass
class Walk:
    """The result of a walk: nodes in breadth-first order, and whether the cap stopped it."""

    nodes: list = field(default_factory=list)
    truncated: bool = False


def node_key(obj):
    return (APPLICATION if isinstance(obj, Application) else DEVICE, obj.pk)


def kind_of(obj):
    if isinstance(obj, Application):
        return APPLICATION
    return VM if obj.kind == Device.Kind.VIRTUAL_MACHINE else DEVICE


# Downward: what depends on it ------------------------------------------------------------
def _linked_devices(network_ids):
    """{device id: network device id it hangs from} for the devices cabled to those devices.

    A link may be recorded on one side only, so both directions are read in one query. A port
    marked as an uplink leads towards the core: the walk never climbs through it, so an access
    switch impacts what hangs below it, not the whole network.
    """
    pairs = Interface.objects.filter(
        Q(device_id__in=network_ids, link__isnull=False) | Q(link__device_id__in=network_ids)
    ).values_list("device_id", "is_uplink", "link__device_id", "link__is_uplink")
    found = {}
    for near, near_is_uplink, far, far_is_uplink in pairs:
        if near in network_ids and far is not None and not near_is_uplink:
            found.setdefault(far, near)
        if far in network_ids and not far_is_uplink:
            found.setdefault(near, far)
    return found


def _children(frontier):
    """[(child object, parent node)] of one level, in a bounded number of queries."""
    devices = {n.obj.pk: n for n in frontier if n.kind != APPLICATION}
    apps = {n.obj.pk: n for n in frontier if n.kind == APPLICATION}
    found = []
    if devices:
        network = {pk for pk, n in devices.items() if n.obj.kind in Device.NETWORK_KINDS}
        cabled = _linked_devices(network) if network else {}
        # Guests of the servers and devices cabled to the network devices, in one query.
        for device in Device.objects.filter(
            Q(host_id__in=list(devices)) | Q(pk__in=list(cabled))
        ).order_by("name"):
            if device.host_id in devices:
                found.append((device, devices[device.host_id]))
            elif device.pk in cabled:
                found.append((device, devices[cabled[device.pk]]))
        running = Application.objects.filter(servers__in=list(devices)).annotate(via=F("servers"))
        found += [(app, devices[app.via]) for app in running.order_by("name")]
    if apps:
        depending = Application.objects.filter(depends_on__in=list(apps)).annotate(
            via=F("depends_on")
        )
        found += [(app, apps[app.via]) for app in depending.order_by("name")]
    return found


def _walk(root, children, limit):
    """Breadth-first walk from `root` with `children(frontier)` giving each next level."""
    walk = Walk()
    seen = {node_key(root)}
    frontier = [Node(root, kind_of(root), 0)]
    while frontier and not walk.truncated:
        level = []
        for obj, parent in children(frontier):
            key = node_key(obj)
            if key in seen:
                continue
            if len(walk.nodes) >= limit:
                walk.truncated = True
                break
            seen.add(key)
            node = Node(obj, kind_of(obj), parent.depth + 1, parent if parent.depth else None)
            level.append(node)
            walk.nodes.append(node)
        frontier = level
    return walk


def dependents(obj, limit=MAX_NODES):
    """Everything that stops working if `obj` stops, transitively, breadth-first.

    A server: its virtual machines and the applications on it or on them; a network device:
    the devices cabled to its ports (and on through network devices); an application: the
    applications depending on it. Each node once, with its depth and the path to it.
    """
    return _walk(obj, _children, limit)


# Upward: what it depends on --------------------------------------------------------------
def _requirements(frontier):
    apps = {n.obj.pk: n for n in frontier if n.kind == APPLICATION}
    devices = {n.obj.pk: n for n in frontier if n.kind != APPLICATION}
    found = []
    if apps:
        servers = Device.objects.filter(applications__in=list(apps)).annotate(via=F("applications"))
        found += [(device, apps[device.via]) for device in servers.order_by("name")]
        required = Application.objects.filter(dependents__in=list(apps)).annotate(
            via=F("dependents")
        )
        found += [(app, apps[app.via]) for app in required.order_by("name")]
    hosted = {pk: n.obj.host_id for pk, n in devices.items() if n.obj.host_id}
    if hosted:
        for host in Device.objects.filter(pk__in=set(hosted.values())).order_by("name"):
            found += [(host, devices[pk]) for pk, host_id in hosted.items() if host_id == host.pk]
    return found


def requirements(application, limit=MAX_NODES):
    """What an application needs, transitively: its servers (and their hosts) and the
    applications it depends on, with theirs."""
    return _walk(application, _requirements, limit)


# Permissions -----------------------------------------------------------------------------
def mark_visible(walk, user):
    """Flag the nodes the user may view (two queries); the others are hidden from lists."""
    device_ids = {n.obj.pk for n in walk.nodes if n.kind != APPLICATION}
    app_ids = {n.obj.pk for n in walk.nodes if n.kind == APPLICATION}
    visible = set()
    if device_ids:
        rows = restrict(Device.objects.filter(pk__in=device_ids), user).values_list("pk", flat=True)
        visible |= {(DEVICE, pk) for pk in rows}
    if app_ids:
        rows = restrict(Application.objects.filter(pk__in=app_ids), user)
        visible |= {(APPLICATION, pk) for pk in rows.values_list("pk", flat=True)}
    for node in walk.nodes:
        node.visible = node.key in visible
    return walk


def visible_dependents(obj, user, limit=MAX_NODES):
    """`dependents(obj)` reduced to what the user may view."""
    walk = mark_visible(dependents(obj, limit), user)
    return [n for n in walk.nodes if n.visible], walk.truncated


# Panel -----------------------------------------------------------------------------------
def _levels(nodes):
    """[{'depth', 'items': [{'node', 'path': [(label, url or None)]}]}] for the template."""
    levels = {}
    for node in nodes:
        path = [
            (str(step.obj), step.obj.get_absolute_url()) if step.visible else ("…", None)
            for step in node.chain
        ]
        levels.setdefault(node.depth, []).append({"node": node, "path": path})
    return [{"depth": depth, "items": items} for depth, items in sorted(levels.items())]


def summary(nodes):
    """Counts by kind and the highest criticality among the applications."""
    apps = [n.obj for n in nodes if n.kind == APPLICATION]
    top = max(apps, key=lambda app: app.criticality, default=None)
    return {
        "applications": len(apps),
        "devices": sum(1 for n in nodes if n.kind == DEVICE),
        "vms": sum(1 for n in nodes if n.kind == VM),
        "total": len(nodes),
        "criticality": top.criticality if top else None,
        "criticality_label": top.get_criticality_display() if top else "",
    }


INFRASTRUCTURE_KINDS = (Device.Kind.SERVER, Device.Kind.VIRTUAL_MACHINE, *Device.NETWORK_KINDS)


def impact_panel(obj, request):
    """The « Impact » card of a device or application page, or None when it has no sense."""
    user = request.user
    nodes, truncated = visible_dependents(obj, user)
    if isinstance(obj, Device) and obj.kind not in INFRASTRUCTURE_KINDS and not nodes:
        return None
    context = {
        "object": obj,
        "levels": _levels(nodes),
        "summary": summary(nodes),
        "truncated": truncated,
        "limit": MAX_NODES,
        "requirements": None,
    }
    if isinstance(obj, Application):
        walk = mark_visible(requirements(obj), user)
        needed = [n for n in walk.nodes if n.visible]
        context["requirements"] = _levels(needed)
        context["requirements_truncated"] = walk.truncated
    return {
        "title": gettext("Impact: what depends on it"),
        "template": "itpark/panels/impact.html",
        "context": context,
        "id": "impact",
    }
