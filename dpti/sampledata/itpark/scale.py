"""The IT park at scale: devices for the IT assets, virtual machines, two addresses each.

Runs after the assets' seeder (app order): each IT asset without a device gets one, up to the
size's count; the rest are virtual machines on the servers. Addresses are numbered in
10.0.0.0/8 (a management address in its own routing context for one device in four), their
sort keys computed here, and /22 prefixes cover them. Bulk inserts; deterministic.
"""

import ipaddress
import random
import time

from dpti.assets.models import Asset
from dpti.itpark.addressing import sort_key
from dpti.itpark.models import Device, IpAddress, Prefix, Vrf
from dpti.sampledata.scale import Progress, batched

# size → devices
SIZES = {"tiny": 1_000, "small": 10_000, "medium": 50_000, "large": 100_000}
BATCH = 5_000
KINDS = {
    "INF-PC": (Device.Kind.WORKSTATION, "PC"),
    "INF-ECR": (Device.Kind.SCREEN, "ECR"),
    "INF-IMP": (Device.Kind.PRINTER, "IMP"),
    "INF-SRV": (Device.Kind.SERVER, "SRV"),
    "INF-RES": (Device.Kind.SWITCH, "SW"),
    "TEL": (Device.Kind.SMARTPHONE, "SMP"),
}
SYSTEMS = ["Windows 11 Professionnel", "Windows 11 Professionnel", "macOS", "Debian 12"]
FIRST = int(ipaddress.ip_address("10.0.0.0"))
BLOCK = 1024  # a /22 prefix


class Addresses:
    """Consecutive addresses of 10.0.0.0/8, skipping network and broadcast of each /22."""

    def __init__(self):
        self.offset = 0

    def take(self):
        while self.offset % BLOCK in (0, BLOCK - 1):
            self.offset += 1
        address = ipaddress.ip_address(FIRST + self.offset)
        self.offset += 1
        return address


def address_row(address, device, vrf=None, management=False):
    return IpAddress(
        address=str(address),
        family=address.version,
        key=sort_key(address),
        vrf=vrf,
        device=device,
        is_management=management,
        dns_name=f"{device.name.lower()}.congres.local" if not management else "",
        status=IpAddress.Status.ACTIVE if device.kind != Device.Kind.WORKSTATION else "dhcp",
    )


def devices(rng, total):
    """Devices of the IT assets without one, then virtual machines on the servers."""
    assets = (
        Asset.objects.filter(category__code__in=KINDS, device=None)
        .order_by("pk")
        .values_list("pk", "category__code")[:total]
    )
    made = 0
    for pk, code in assets.iterator(chunk_size=BATCH):
        kind, prefix = KINDS[code]
        if kind == Device.Kind.WORKSTATION and rng.random() < 0.4:
            kind, prefix = Device.Kind.LAPTOP, "PORT"
        made += 1
        yield Device(
            name=f"{prefix}-S{made:06d}",
            kind=kind,
            asset_id=pk,
            operating_system=rng.choice(SYSTEMS) if kind in (Device.Kind.WORKSTATION,) else "",
            ram_gb=rng.choice([8, 16, 32]),
            disk_gb=rng.choice([256, 512, 1024]),
            mac_addresses=":".join(f"{rng.randint(0, 255):02X}" for _n in range(6)),
        )
    hosts = list(Device.objects.filter(kind=Device.Kind.SERVER).values_list("pk", flat=True))
    for index in range(total - made):
        yield Device(
            name=f"VM-S{index + 1:06d}",
            kind=Device.Kind.VIRTUAL_MACHINE,
            host_id=rng.choice(hosts) if hosts else None,
            operating_system=rng.choice(SYSTEMS[1:]),
            ram_gb=rng.choice([4, 8, 16]),
            disk_gb=rng.choice([100, 200]),
        )


def seed(*, size, stdout):
    """Create the devices of the size, about two addresses each, and their prefixes."""
    rng = random.Random(12)
    total = SIZES[size]
    started = time.monotonic()
    management, _created = Vrf.objects.get_or_create(
        name="GESTION-BENCH", defaults={"description": "Administration (banc de mesure)"}
    )
    pool, addresses, count = Addresses(), 0, 0
    progress = Progress(stdout, "équipements", total)
    for batch in batched(devices(rng, total), BATCH):
        Device.objects.bulk_create(batch)
        rows = []
        for device in batch:
            rows.append(address_row(pool.take(), device))
            if rng.random() < 0.75:  # a second interface address
                rows.append(address_row(pool.take(), device))
            if rng.random() < 0.25:  # and its management card, in its own context
                rows.append(address_row(pool.take(), device, management, True))
        IpAddress.objects.bulk_create(rows)
        addresses += len(rows)
        count += len(batch)
        progress.advance(len(batch))
    prefixes = []
    for start in range(0, pool.offset, BLOCK):
        network = ipaddress.ip_network((FIRST + start, 22))
        prefixes.append(
            Prefix(
                prefix=str(network),
                family=4,
                first_key=sort_key(network.network_address),
                last_key=sort_key(network.broadcast_address),
                description=f"Banc — bloc {start // BLOCK + 1}",
            )
        )
    for start in range(0, pool.offset, BLOCK):  # the management addresses' context too
        network = ipaddress.ip_network((FIRST + start, 22))
        prefixes.append(
            Prefix(
                prefix=str(network),
                vrf=management,
                family=4,
                first_key=sort_key(network.network_address),
                last_key=sort_key(network.broadcast_address),
            )
        )
    Prefix.objects.bulk_create(prefixes, batch_size=BATCH)
    stdout.write(
        f"Parc informatique : {count:,} équipements, {addresses:,} adresses IP, "
        f"{len(prefixes):,} préfixes en {time.monotonic() - started:.1f} s."
    )
