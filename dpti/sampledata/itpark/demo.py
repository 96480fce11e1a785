"""Demo IT park: the devices of the demo assets, the network, applications, licences, lines.

Every IT asset of the asset demo gets its device (hostname after its room, OS, hardware, MAC
addresses); the server room's hypervisors run sixteen virtual machines; routers and a few Macs
the asset demo does not have are added as assets first, by the asset demo's bulk path. Then
VLANs and prefixes per site, addresses for servers, network gear, printers and half the
workstations, cabling (core ↔ servers and firewalls, floor uplinks, workstations behind wall
sockets), the application catalogue with its dependency chain, licences (one product over-used,
one under-used), telecom lines, information assets and procedures (two reviews overdue).
Rows are inserted in bulk and deadlines written in one go, without audit entries. Deterministic.
"""

import ipaddress
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.assets.models import Asset, AssetCategory, AssetMovement
from dpti.directory.models import Company, Person
from dpti.estate.models import Room, Site
from dpti.itpark.addressing import sort_key
from dpti.itpark.models import (
    Application,
    Device,
    InformationAsset,
    Interface,
    IpAddress,
    Licence,
    LicenceAssignment,
    OperatingProcedure,
    Prefix,
    TelecomLine,
    Vlan,
    Vrf,
)
from dpti.sampledata.assets.scale import at_nine, create_deadlines, historical_dates, number_assets
from dpti.sampledata.itpark.demo_data import (
    APPLICATIONS,
    COMPANIES,
    DOMAIN,
    HARDWARE,
    INFORMATION,
    PHYSICAL_SERVERS,
    PREFIXES,
    PROCEDURES,
    SEED,
    SITE_OCTET,
    VMS,
    WINDOWS,
    names,
    table,
)

K, State = Device.Kind, Device.State


class Allocator:
    """The next free host addresses of each prefix, in order."""

    def __init__(self):
        self.next = {}

    def take(self, prefix, offset=None):
        network = ipaddress.ip_network(prefix.prefix)
        index = offset if offset is not None else self.next.get(prefix.pk, 10)
        if offset is None:
            self.next[prefix.pk] = index + 1
        return str(network.network_address + index)


class ParkDemo:
    """Collects the park's rows; each step inserts its own in bulk."""

    def __init__(self, stdout):
        self.stdout, self.rng, self.today = stdout, random.Random(SEED), timezone.localdate()
        self.people = list(Person.objects.select_related("unit", "user").order_by("pk"))
        self.by_user = {p.user.username: p for p in self.people if p.user_id}
        self.sites = {s.code: s for s in Site.objects.all()}
        self.devices, self.by_name, self.counters = [], {}, {}
        self.interfaces, self.links, self.addresses = {}, [], []
        self.allocator = Allocator()

    # People and companies ------------------------------------------------------------------
    def head_of(self, code):
        """The manager of a unit, else its first agent."""
        members = [p for p in self.people if p.unit and p.unit.code == code]
        manager = members[0].unit.manager if members else None
        return manager or (members[0] if members else None)

    def create_companies(self):
        existing = set(Company.objects.values_list("ridet", flat=True))
        Company.objects.bulk_create(
            Company(name=name, ridet=ridet, activity=activity, is_supplier=True)
            for name, ridet, activity in COMPANIES
            if ridet not in existing
        )
        self.companies = {c.name: c for c in Company.objects.all()}

    # Assets the asset demo has not -----------------------------------------------------------
    def create_assets(self):
        """Three routers and four Macs, numbered by the rule, with entries and warranties."""
        categories = {
            c.code: c for c in AssetCategory.objects.filter(code__in=["INF-RES", "INF-PC"])
        }
        rooms = {
            r.code: r for r in Room.objects.filter(code__in=["VAU-B-002", "FOC-A-011", "DUC-A-017"])
        }
        people = [p for p in self.people if p.unit and p.unit.code == "SCOM"][:4]
        new = []
        for code in rooms:
            new.append(
                Asset(
                    label="Routeur d'accès",
                    category=categories["INF-RES"],
                    brand="Cisco",
                    model_name="ISR 1121",
                    value=285_000,
                    acquisition_date=date(2023, 9, 14),
                    warranty_end=date(2028, 9, 14),
                    room=rooms[code],
                    holder_unit=rooms[code].occupying_unit,
                )
            )
        for person in people:
            new.append(
                Asset(
                    label="Ordinateur portable (PAO et vidéo)",
                    category=categories["INF-PC"],
                    brand="Apple",
                    model_name="MacBook Pro 14 pouces",
                    value=389_000,
                    acquisition_date=date(2024, 11, 5),
                    warranty_end=date(2027, 11, 5),
                    holder=person,
                    holder_unit=person.unit,
                )
            )
        for asset in new:
            asset.serial_number = "".join(
                self.rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=10)
            )
            asset.supplier = self.companies.get("Pacific Informatique")
            asset.order_reference = "BC-2023-0412" if asset.room_id else "BC-2024-0588"
        number_assets(new)
        Asset.objects.bulk_create(new)
        entry = _("Entry into the register")
        with historical_dates(AssetMovement, "moved_at"):
            AssetMovement.objects.bulk_create(
                AssetMovement(
                    asset=a,
                    to_room=a.room,
                    to_holder=a.holder,
                    to_unit=a.holder_unit,
                    reason=entry,
                    moved_at=at_nine(a.acquisition_date),
                )
                for a in new
            )
        create_deadlines(new)
        return len(new)

    # Devices -------------------------------------------------------------------------------
    def name(self, prefix, place):
        """'PC-VAU-B213-01': the next number of a prefix at a place."""
        key = (prefix, place)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{prefix}-{place}-{self.counters[key]:02d}"

    def mac(self, prefix):
        return prefix + "".join(f":{self.rng.randint(0, 255):02X}" for _n in range(3))

    def add(self, device, site="VAU"):
        device.site = site
        self.devices.append(device)
        self.by_name[device.name] = device
        return device

    def device_of(self, asset, spec, counts):
        """The device of an IT asset: hostname after its room, hardware after its model."""
        kind, cpu, cores, ram, disk, system, version, oui = spec
        room = asset.room
        building = room.floor.building if room else None
        if room:
            place = building.code + room.code[len(building.code) + 1 :]
        else:
            holder = asset.holder if asset.holder_id else None
            elected = holder and holder.kind == Person.Kind.ELECTED
            place = "ELU" if elected else (holder.unit.code if holder and holder.unit else "MOB")
        if kind == K.SERVER:
            name = self.server_name(asset.model_name, counts)
        elif kind in (K.SWITCH, K.FIREWALL) and asset.model_name in ("CX 6300M", "FortiGate 200F"):
            prefix = "SW-CORE" if kind == K.SWITCH else "FW"
            counts[prefix] = counts.get(prefix, 0) + 1
            name = f"{prefix}-{counts[prefix]:02d}"
        elif kind in (K.SWITCH, K.ACCESS_POINT, K.ROUTER):
            name = self.name(
                PREFIXES[kind],
                building.code.split("-")[0]
                if kind == K.ROUTER
                else f"{building.code}{room.floor.level}",
            )
        elif kind == K.PHONE:
            counts["phone"] = counts.get("phone", 4100) + 1
            name = (
                f"Poste {counts['phone']}"
                if asset.model_name != "CP965"
                else f"Pieuvre {room.name}"
            )
        else:
            name = self.name(PREFIXES[kind], place)
        macs = [] if kind == K.PHONE and not room else [self.mac(oui)]
        if kind in (K.LAPTOP, K.SERVER):
            macs.append(self.mac(oui))
        state = {"in_stock": State.SPARE, "disposed": State.DECOMMISSIONED}.get(asset.status)
        device = Device(
            name=name,
            kind=kind,
            asset=asset,
            cpu=cpu,
            cpu_cores=int(cores) if cores else None,
            ram_gb=int(ram) if ram else None,
            disk_gb=int(disk) if disk else None,
            operating_system=WINDOWS if system == "win" else system,
            os_version=version,
            mac_addresses=", ".join(macs) if oui else "",
            state=state or State.PRODUCTION,
            notes="En réparation chez le prestataire." if asset.status == "in_repair" else "",
        )
        if name == "SRV-TEST-01":
            device.state = State.TEST
        if kind in (
            K.SERVER,
            K.SWITCH,
            K.FIREWALL,
            K.ROUTER,
            K.PRINTER,
        ) and asset.model_name not in ("LaserJet Pro M404dn", "HL-L8360CDW"):
            device.support_end = asset.acquisition_date + relativedelta(years=5)
            supplier = asset.supplier.name if asset.supplier_id else "Pacific Informatique"
            device.support_contract = (
                f"MNT-{asset.acquisition_date.year}-{len(self.devices) % 97:02d} — {supplier}"
            )
        return self.add(device, building.site.code if building else "VAU")

    def server_name(self, model, counts):
        prefix = {"PowerEdge R750": "SRV-HV", "AFF A250": "SAN", "PowerVault ME5012": "STO-BKP"}
        if model == "ProLiant DL380 Gen10":
            index = counts["physical"] = counts.get("physical", -1) + 1
            if index < len(PHYSICAL_SERVERS):
                return PHYSICAL_SERVERS[index]
            return "SRV-TEST-01" if index == len(PHYSICAL_SERVERS) else f"SRV-PHY-{index:02d}"
        counts[model] = counts.get(model, 0) + 1
        return f"{prefix[model]}-{counts[model]:02d}"

    def create_devices(self):
        """A device per IT asset of the demo, then the virtual machines on the hypervisors."""
        hardware = {row[0]: tuple(cell or None for cell in row[1:]) for row in table(HARDWARE)}
        hardware = {
            model: (K(spec[0]), spec[1] or "", *spec[2:5], spec[5] or "", spec[6] or "", spec[7])
            for model, spec in hardware.items()
        }
        assets = (
            Asset.objects.filter(
                category__code__in=["INF-PC", "INF-ECR", "INF-IMP", "INF-SRV", "INF-RES", "TEL"]
            )
            .select_related("room__floor__building__site", "holder__unit", "supplier")
            .order_by("room__code", "inventory_number")
        )
        counts = {}
        for asset in assets:
            if asset.model_name in hardware:
                self.device_of(asset, hardware[asset.model_name], counts)
            elif asset.label.startswith("Écran"):
                self.add(
                    Device(
                        name=f"Écran {asset.brand} {asset.model_name}",
                        kind=K.SCREEN,
                        asset=asset,
                        state=State.SPARE if asset.status == "in_stock" else State.PRODUCTION,
                    ),
                    asset.room.floor.building.site.code if asset.room else "VAU",
                )
        Device.objects.bulk_create(self.devices, batch_size=500)
        hosts = [d for d in self.devices if d.name.startswith("SRV-HV-")]
        vms = []
        for index, (name, system, cores, ram, disk, dmz, text) in enumerate(table(VMS)):
            vms.append(
                self.add(
                    Device(
                        name=name,
                        kind=K.VIRTUAL_MACHINE,
                        host=hosts[index % len(hosts)],
                        operating_system=system,
                        cpu_cores=int(cores),
                        ram_gb=int(ram),
                        disk_gb=int(disk),
                        mac_addresses=self.mac("00:50:56"),
                        notes=text,
                    )
                )
            )
            vms[-1].dmz = dmz == "1"
        Device.objects.bulk_create(vms)
        return len(self.devices)

    # Network -------------------------------------------------------------------------------
    def create_network(self):
        """Routing contexts, VLANs and prefixes per site."""
        vrfs = Vrf.objects.bulk_create(
            [
                Vrf(name="GESTION", description="Administration des équipements (hors production)"),
                Vrf(name="INVITES", description="Wi-Fi des visiteurs, isolé du réseau interne"),
            ]
        )
        self.vrfs = {v.name: v for v in vrfs}
        plan = [  # vid, name, prefix pattern, VRF
            (10, "BUREAUTIQUE", "10.{s}.10.0/23", None),
            (20, "SERVEURS", "10.{s}.20.0/24", None),
            (30, "VOIP", "10.{s}.30.0/23", None),
            (40, "WIFI-INVITES", "172.20.{s}.0/24", "INVITES"),
            (99, "ADMINISTRATION", "10.{s}.99.0/24", "GESTION"),
        ]
        vlans, prefixes = [], []
        for code, octet in SITE_OCTET.items():
            site = self.sites.get(code)
            rows = plan + ([(60, "DMZ", "10.{s}.60.0/24", None)] if code == "VAU" else [])
            for vid, name, pattern, vrf in rows:
                vlan = Vlan(vid=vid, name=name, site=site, description=f"{name.title()} — {code}")
                vlans.append(vlan)
                prefixes.append(
                    Prefix(
                        prefix=pattern.format(s=octet),
                        vrf=self.vrfs.get(vrf),
                        vlan=vlan,
                        site=site,
                        description=f"{name} {code}",
                    )
                )
        Vlan.objects.bulk_create(vlans)
        for prefix in prefixes:
            prefix.vlan_id = prefix.vlan.pk
        vau = self.sites.get("VAU")
        prefixes += [
            Prefix(prefix="203.0.113.0/29", site=vau, description="Accès internet OPT-NC"),
            Prefix(prefix="198.51.100.16/29", site=vau, description="Accès internet de secours"),
            Prefix(prefix="10.255.0.0/30", description="Liaison inter-sites Vauban - Ducos"),
        ]
        for prefix in prefixes:
            prefix.clean()  # family and sort keys
        Prefix.objects.bulk_create(prefixes)
        self.prefixes = {
            (p.site.code if p.site else None, p.vlan.vid if p.vlan else p.prefix): p
            for p in prefixes
        }
        return len(vlans), len(prefixes)

    def iface(self, device, name, kind=Interface.Kind.ETHERNET, vlan=None, **extra):
        key = (device.name, name)
        if key not in self.interfaces:
            mac = device.mac_addresses.split(", ")[0] if device.mac_addresses else ""
            self.interfaces[key] = Interface(
                device=device, name=name, kind=kind, mac_address=mac, vlan=vlan, **extra
            )
        return self.interfaces[key]

    def vlan(self, site, vid):
        prefix = self.prefixes.get((site, vid))
        return prefix.vlan if prefix else None

    def address(self, device, site, vid, interface=None, offset=None, **extra):
        prefix = self.prefixes[(site, vid)]
        text = self.allocator.take(prefix, offset)
        self.addresses.append(
            IpAddress(address=text, vrf=prefix.vrf, device=device, interface=interface, **extra)
        )

    def cable(self):
        """Servers and firewalls to the core, floor switches up, access points and desks down."""
        core = [d for d in self.devices if d.name.startswith("SW-CORE-")]
        ports = {d.name: 0 for d in self.devices if d.kind in (K.SWITCH, K.ROUTER)}

        def port(switch):
            ports[switch.name] += 1
            if switch.kind == K.ROUTER:
                return f"Gi0/1/{ports[switch.name] - 1}"
            aruba = switch.asset.model_name.startswith("CX")
            return f"1/1/{ports[switch.name]}" if aruba else f"Gi1/0/{ports[switch.name]}"

        def plug(device, name, switch, **extra):
            here = self.iface(device, name, **extra)
            there = self.iface(switch, port(switch), vlan=extra.get("vlan"))
            there.description = f"{device.name} {name}"
            self.links.append((here, there))

        floors, routers = {}, {d.site: d for d in self.devices if d.kind == K.ROUTER}
        for device in self.devices:
            if device.kind == K.SWITCH and device not in core:
                floors.setdefault((device.asset.room.floor_id), []).append(device)
        for index, switches in enumerate(floors.values()):
            for switch in switches:
                uplink = "1/1/49" if switch.asset.model_name.startswith("CX") else "Te1/1/1"
                upstream = (
                    core[index % len(core)]
                    if switch.site == "VAU" and core
                    else routers.get(switch.site)
                )
                if upstream:
                    plug(switch, uplink, upstream, kind=Interface.Kind.FIBRE, is_uplink=True)
        servers = [d for d in self.devices if d.kind == K.SERVER]
        for switch in core:
            ports[switch.name] = 24  # servers from port 25
        for server in servers:
            for number, switch in enumerate(core[:2]):
                name = f"vmnic{number}" if server.name.startswith("SRV-HV") else f"eth{number}"
                plug(server, name, switch, vlan=self.vlan("VAU", 20))
            self.iface(
                server,
                "idrac" if server.asset.brand == "Dell" else "ilo",
                vlan=self.vlan("VAU", 99),
                description=_("Management card"),
            )
        firewalls = [d for d in self.devices if d.kind == K.FIREWALL]
        for firewall, switch in zip(firewalls, core, strict=False):
            plug(firewall, "port1", switch, kind=Interface.Kind.FIBRE)
            router = routers.get("VAU")
            if router:
                plug(firewall, "wan1", router)
        if "VAU" in routers and "DUC" in routers:
            self.links.append(
                (
                    self.iface(routers["VAU"], "Gi0/0/1", kind=Interface.Kind.FIBRE),
                    self.iface(routers["DUC"], "Gi0/0/1", kind=Interface.Kind.FIBRE),
                )
            )
        for device in self.devices:
            switches = (
                floors.get(device.asset.room.floor_id)
                if device.asset_id and device.asset.room_id
                else None
            )
            if not switches or device.kind not in (
                K.WORKSTATION,
                K.LAPTOP,
                K.ACCESS_POINT,
                K.PRINTER,
            ):
                continue
            switch = next(
                (
                    s
                    for s in switches
                    if ports[s.name] < (44 if s.asset.model_name.startswith("CX") else 22)
                ),
                None,
            )
            if switch is None or device.state != State.PRODUCTION:
                continue
            self.counters[device.asset.room.code] = sockets = (
                self.counters.get(device.asset.room.code, 0) + 1
            )
            socket = f"{device.asset.room.code}-{sockets:02d}"
            vid = 10 if device.kind != K.ACCESS_POINT else 99
            plug(device, "eth0", switch, vlan=self.vlan(device.site, vid), wall_socket=socket)
        for device in self.devices:
            if device.kind == K.VIRTUAL_MACHINE:
                self.iface(
                    device,
                    "ens192",
                    kind=Interface.Kind.VIRTUAL,
                    vlan=self.vlan("VAU", 60 if device.dmz else 20),
                )
        Interface.objects.bulk_create(self.interfaces.values(), batch_size=500)
        for here, there in self.links:
            here.link, there.link = there, here
        Interface.objects.bulk_update(
            [i for pair in self.links for i in pair], ["link"], batch_size=500
        )
        return len(self.interfaces), len(self.links)

    def assign_addresses(self):
        """Servers and their management cards, network gear, printers, half the desks."""
        gateways = {d.site: d for d in self.devices if d.kind == K.ROUTER}
        if "SW-CORE-01" in self.by_name:
            gateways["VAU"] = self.by_name["SW-CORE-01"]
        for site, device in gateways.items():
            for vid in (10, 20, 30, 60) if site == "VAU" else (10, 20, 30):
                self.address(device, site, vid, offset=1, description=_("Gateway"))
        public = [
            ("FW-01", "203.0.113.0/29", 2),
            ("FW-02", "198.51.100.16/29", 2),
            ("RTR-VAU-01", "203.0.113.0/29", 1),
            ("RTR-VAU-01", "198.51.100.16/29", 1),
        ]
        for name, prefix, offset in public:
            if name in self.by_name:
                self.address(self.by_name[name], "VAU", prefix, offset=offset)
        for offset, name in ((1, "RTR-VAU-01"), (2, "RTR-DUC-01")):
            if name in self.by_name:
                self.address(self.by_name[name], None, "10.255.0.0/30", offset=offset)
        for device in self.devices:
            dns = f"{device.name.lower()}.{DOMAIN}"
            nic = next(
                (
                    i
                    for (name, _n), i in self.interfaces.items()
                    if name == device.name and _n in ("eth0", "vmnic0", "ens192")
                ),
                None,
            )
            if device.kind == K.VIRTUAL_MACHINE:
                self.address(device, "VAU", 60 if device.dmz else 20, nic, dns_name=dns)
            elif device.kind == K.SERVER:
                self.address(device, "VAU", 20, nic, dns_name=dns)
                card = self.interfaces.get(
                    (device.name, "idrac" if device.asset.brand == "Dell" else "ilo")
                )
                self.address(
                    device,
                    "VAU",
                    99,
                    card,
                    is_management=True,
                    dns_name=f"{device.name.lower()}-mgmt.{DOMAIN}",
                )
            elif device.kind in Device.NETWORK_KINDS or device.kind == K.ROUTER:
                self.address(device, device.site, 99, is_management=True, dns_name=dns)
            elif device.kind == K.PRINTER and device.state == State.PRODUCTION:
                self.address(device, device.site, 10, nic, dns_name=dns)
            elif device.kind in (K.WORKSTATION, K.LAPTOP) and device.state == State.PRODUCTION:
                holder = device.asset.holder
                if (holder and holder.user_id) or self.rng.random() < 0.5:
                    self.address(
                        device, device.site, 10, nic, dns_name=dns, status=IpAddress.Status.DHCP
                    )
        for address in self.addresses:
            parsed = ipaddress.ip_address(address.address)
            address.family, address.key = parsed.version, sort_key(parsed)
        IpAddress.objects.bulk_create(self.addresses, batch_size=500)
        return len(self.addresses)

    # Catalogue -----------------------------------------------------------------------------
    def create_applications(self):
        """The application catalogue, its servers and its dependency chain."""
        rows = table(APPLICATIONS)
        technical = [self.by_user.get(u) for u in ("informatique", "admin", "technicien")]
        apps = []
        for index, (name, kind, hosting, level, users, vendor, unit, *_rest) in enumerate(rows):
            apps.append(
                Application(
                    name=name,
                    kind=kind,
                    hosting=hosting,
                    criticality=int(level),
                    users_count=int(users) if users else None,
                    vendor=self.companies.get(vendor),
                    business_owner=self.head_of(unit),
                    technical_owner=technical[index % 3],
                    description=rows[index][9],
                    release=f"{2021 + index % 5}.{index % 4}",
                )
            )
        Application.objects.bulk_create(apps)
        self.apps = {a.name: a for a in apps}
        servers, depends = Application.servers.through, Application.depends_on.through
        servers.objects.bulk_create(
            servers(application=app, device=self.by_name[host])
            for app, row in zip(apps, rows, strict=True)
            for host in row[7].split()
            if host in self.by_name
        )
        depends.objects.bulk_create(
            depends(from_application=app, to_application=self.apps[other])
            for app, row in zip(apps, rows, strict=True)
            for other in names(row[8])
        )
        return len(apps)

    def create_licences(self):
        """Licences: Microsoft 365 over-used, Acrobat under-used, per-core and site licences."""
        today, c = self.today, self.companies
        renewal = date(today.year + (today.month >= 7), 7, 1)
        agents = [p for p in self.people if p.kind == Person.Kind.AGENT]
        agents.sort(key=lambda p: (p.user_id is None, p.pk))  # the demo accounts first
        windows = [
            d
            for d in self.devices
            if d.operating_system.startswith("Windows") and d.state == State.PRODUCTION
        ]
        hosts = [d for d in self.devices if d.name.startswith("SRV-HV-")]
        cores = sum(d.cpu_cores for d in hosts)
        designers = [p for p in self.people if p.unit and p.unit.code in ("SCOM", "SG")][:23]
        plan = [  # product, publisher, application, model, quantity, bought, yearly, users
            (
                "Microsoft 365 E3",
                "Microsoft",
                "Microsoft 365",
                "per_user",
                220,
                date(2023, 7, 1),
                6_820_000,
                agents[:220],
            ),
            (
                "Microsoft 365 E3",
                "Microsoft",
                "Microsoft 365",
                "per_user",
                30,
                date(2025, 2, 1),
                930_000,
                agents[220:272],
            ),
            (
                "Adobe Acrobat Pro",
                "Adobe",
                None,
                "per_user",
                40,
                date(2024, 3, 15),
                1_150_000,
                designers,
            ),
            (
                "ESET PROTECT Entry",
                "ESET",
                "Antivirus ESET PROTECT",
                "per_device",
                (len(windows) // 50 + 1) * 50,  # a margin: under-used
                date(2024, 9, 1),
                2_400_000,
                windows,
            ),
            (
                "Veeam Data Platform Foundation",
                "Veeam Software",
                "Sauvegarde Veeam",
                "per_core",
                cores,
                date(2023, 11, 20),
                1_650_000,
                hosts,
            ),
            (
                "Windows Server 2022 Datacenter",
                "Microsoft",
                None,
                "per_core",
                cores,
                date(2022, 12, 1),
                0,
                hosts,
            ),
            (
                "Séances+ — licence de site",
                "Océanie Logiciels",
                "Séances & délibérations",
                "site",
                1,
                date(2019, 4, 2),
                780_000,
                [],
            ),
            (
                "Civil Net RH et Finances",
                "Ciril Group",
                "Paie — Civil Net RH",
                "site",
                1,
                date(2018, 1, 10),
                1_980_000,
                [],
            ),
        ]
        licences, assignments = [], []
        for product, publisher, app, model, quantity, bought, cost, users in plan:
            licence = Licence(
                product=product,
                publisher=c.get(publisher),
                application=self.apps.get(app),
                licence_model=model,
                quantity=quantity,
                purchase_date=bought,
                contract_reference=f"BC-{bought.year}-{len(licences) + 301:04d}",
                renewal_date=renewal if model != "site" and cost else None,
                annual_cost=cost,
            )
            licences.append(licence)
            for user in users:
                is_device = isinstance(user, Device)
                assignments.append(
                    LicenceAssignment(
                        licence=licence,
                        person=None if is_device else user,
                        device=user if is_device else None,
                        assigned_on=bought,
                        quantity=user.cpu_cores if model == "per_core" else 1,
                    )
                )
        licences[-1].renewal_date = today + timedelta(days=40)  # the maintenance to renew soon
        Licence.objects.bulk_create(licences)
        LicenceAssignment.objects.bulk_create(assignments, batch_size=500)
        self.licences = licences
        return len(licences), len(assignments)

    def create_lines(self):
        """Mobile lines of the elected members and managers, fixed lines, internet, inter-site."""
        rng, today, opt = self.rng, self.today, self.companies.get("OPT-NC")
        phones = {
            d.asset.holder_id: d
            for d in self.devices
            if d.kind == K.SMARTPHONE and d.asset.holder_id
        }
        holders = [p for p in self.people if p.kind == Person.Kind.ELECTED]
        holders += [
            self.by_user[u]
            for u in (
                "direction",
                "patrimoine",
                "informatique",
                "achats",
                "flotte",
                "technicien",
                "agent",
            )
            if u in self.by_user
        ]
        lines, taken = [], set()
        for index, person in enumerate(holders):
            number = person.mobile
            while not number or number in taken:
                pairs = (rng.randint(10, 99) for _n in range(2))
                number = f"{rng.choice('789')}{rng.randint(0, 9)} " + " ".join(map(str, pairs))
            taken.add(number)
            elected = person.kind == Person.Kind.ELECTED
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
            lines.append(
                TelecomLine(
                    kind="mobile",
                    identifier=number,
                    operator=opt,
                    holder=person,
                    unit=person.unit,
                    subscription="Mobilis Pro 50 Go" if elected else "Mobilis Pro 20 Go",
                    monthly_cost=8_900 if elected else 5_900,
                    device=phones.get(person.pk),
                    sim_number=f"8968701{index:04d}{rng.randint(10**7, 10**8 - 1)}",
                    contract_reference="Marché n° 2023-031 — téléphonie mobile",
                    start_date=start,
                    end_date=start + relativedelta(months=36),
                )
            )
        vau, duc, foc = (self.sites.get(code) for code in ("VAU", "DUC", "FOC"))
        sit = self.head_of("SIT").unit if self.head_of("SIT") else None
        fixed = [  # kind, identifier, operator, subscription, monthly cost, site, months left
            ("fixed", "24 37 00", opt, "Accès primaire T2 — 30 canaux (standard)", 46_500, vau, 20),
            ("fixed", "24 37 01", opt, "Ligne analogique — ascenseur bâtiment A", 3_200, vau, 0),
            ("fixed", "24 37 02", opt, "Ligne analogique — ascenseur bâtiment B", 3_200, vau, 0),
            ("fixed", "24 37 09", opt, "Ligne analogique — télésurveillance", 3_200, vau, 0),
            ("fixed", "27 15 40", opt, "Ligne analogique — annexe Foch", 3_900, foc, 0),
            ("fixed", "43 52 18", opt, "Ligne analogique — site de Ducos", 3_900, duc, 0),
            (
                "internet",
                "OPT-FTTO-2023-00418",
                opt,
                "Fibre FTTO 500 Mb/s symétrique",
                185_000,
                vau,
                2,
            ),
            (
                "internet",
                "NAU-PRO-77120",
                self.companies.get("Nautile"),
                "Fibre Pro 200 Mb/s (secours)",
                68_000,
                vau,
                9,
            ),
            (
                "intersite",
                "OPT-LS-VAU-DUC-01",
                opt,
                "Liaison fibre Vauban - Ducos 1 Gb/s",
                240_000,
                vau,
                14,
            ),
        ]
        for kind, identifier, operator, subscription, cost, site, months in fixed:
            lines.append(
                TelecomLine(
                    kind=kind,
                    identifier=identifier,
                    operator=operator,
                    subscription=subscription,
                    monthly_cost=cost,
                    site=site,
                    unit=sit,
                    start_date=date(2021, 3, 1),
                    end_date=today + relativedelta(months=months) if months else None,
                    contract_reference="Convention OPT-NC n° 2021-117" if operator == opt else "",
                )
            )
        TelecomLine.objects.bulk_create(lines)
        self.lines = lines
        return len(lines)

    def create_register(self):
        """Information assets (DICT, personal data) and operating procedures."""
        assets, links = [], []
        for name, kind, dict_levels, personal, purpose, retention, unit, apps in table(INFORMATION):
            d, i, c, t = (int(level) for level in dict_levels.split())
            asset = InformationAsset(
                name=name,
                kind=kind,
                availability=d,
                integrity=i,
                confidentiality=c,
                traceability=t,
                personal_data=personal == "1",
                purpose=purpose,
                retention=retention,
                owner=self.head_of(unit),
            )
            assets.append(asset)
            links += [(asset, self.apps[app]) for app in names(apps)]
        InformationAsset.objects.bulk_create(assets)
        through = InformationAsset.applications.through
        through.objects.bulk_create(through(informationasset=a, application=b) for a, b in links)
        owners = [self.by_user.get(u) for u in ("technicien", "informatique", "admin")]
        procedures, links = [], []
        for index, (title, kind, months, apps) in enumerate(table(PROCEDURES)):
            last = self.today - relativedelta(months=int(months)) - timedelta(days=index)
            procedures.append(
                OperatingProcedure(
                    title=title,
                    kind=kind,
                    owner=owners[index % 3],
                    revision=f"{1 + index % 3}.{index % 2}",
                    last_review=last,
                    next_review=last + relativedelta(years=1),
                    summary=f"Procédure du service informatique : {title[0].lower()}{title[1:]}.",
                )
            )
            links += [(procedures[-1], self.apps[app]) for app in names(apps)]
        OperatingProcedure.objects.bulk_create(procedures)
        through = OperatingProcedure.applications.through
        through.objects.bulk_create(through(operatingprocedure=p, application=a) for p, a in links)
        self.procedures = procedures
        return len(assets), len(procedures)


def load(*, stdout):
    """Create the demo IT park; called by `manage.py load_demo` after the assets."""
    park = ParkDemo(stdout)
    park.create_companies()
    added = park.create_assets()
    devices = park.create_devices()
    vlans, prefixes = park.create_network()
    interfaces, links = park.cable()
    addresses = park.assign_addresses()
    applications = park.create_applications()
    licences, assignments = park.create_licences()
    lines = park.create_lines()
    information, procedures = park.create_register()
    deadlines = sum(
        create_deadlines(objects)
        for objects in (
            [d for d in park.devices if d.support_end],
            park.licences,
            park.lines,
            park.procedures,
        )
    )
    stdout.write(
        _(
            "IT park: %(devices)d devices, %(vlans)d VLANs, %(prefixes)d prefixes, "
            "%(addresses)d IP addresses, %(interfaces)d interfaces (%(links)d links), "
            "%(applications)d applications, %(licences)d licences (%(assignments)d assignments), "
            "%(lines)d telecom lines, %(information)d information assets, %(procedures)d "
            "procedures, %(deadlines)d deadlines; %(added)d assets added, %(total)d assets in all."
        )
        % {
            "devices": devices,
            "vlans": vlans,
            "prefixes": prefixes,
            "addresses": addresses,
            "interfaces": interfaces,
            "links": links,
            "applications": applications,
            "licences": licences,
            "assignments": assignments,
            "lines": lines,
            "information": information,
            "procedures": procedures,
            "deadlines": deadlines,
            "added": added,
            "total": Asset.objects.count(),
        }
    )
