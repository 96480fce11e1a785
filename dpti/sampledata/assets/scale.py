"""Movable assets at scale: numbered assets, movements, disposals and deadlines in bulk.

Inventory numbers follow the configured rule: each block of rows reserves its numbers from
the rule's counters in one statement per counter, so that numbers handed out afterwards by
the application go on from the last one used. Deterministic (fixed seed and dates).
The bulk helpers (past movement dates, deadlines of rows inserted in bulk) serve the demo too.
"""

import random
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.utils import timezone, translation
from django.utils.translation import gettext

from dpti.assets.models import Asset, AssetCategory, AssetMovement, Disposal
from dpti.assets.register_store import rebuild
from dpti.assets.services import INVENTORY_PATTERN_NAMES
from dpti.core.models import Deadline
from dpti.core.models.numbering import NumberSequence
from dpti.core.numbering import pattern_fields, validate_pattern
from dpti.directory.models import Company, Person
from dpti.estate.models import Room
from dpti.sampledata.scale import Progress, batched

# size → assets
SIZES = {"tiny": 2_000, "small": 20_000, "medium": 100_000, "large": 1_000_000}
BATCH = 5_000
FIRST_DAY = date(2008, 1, 1)
LAST_DAY = date(2026, 6, 30)  # fixed, so that two seedings give the same database
MOVED_SHARE = 0.3  # assets with a movement history
DISPOSED_SHARE = 0.02
LABELS = {
    "INF": "Poste informatique",
    "TEL": "Téléphone",
    "BUR": "Matériel de bureau",
    "AV": "Équipement audiovisuel",
    "MOB": "Mobilier",
    "COF": "Coffre-fort",
    "CLIM": "Climatiseur",
    "VEH": "Véhicule",
    "LOG": "Logiciel",
    "ART": "Œuvre d'art",
}
STATUSES = [Asset.Status.IN_SERVICE] * 17 + [Asset.Status.IN_STOCK, Asset.Status.IN_REPAIR]
BRANDS = ["Dell", "HP", "Lenovo", "Samsung", "Majencia", "Sokoa", "Daikin", "Toyota", "Cisco"]
VALUES = [9_000, 25_000, 48_000, 120_000, 350_000]


def at_nine(day):
    """9 a.m. on a day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, clock(9, 0)))


@contextmanager
def historical_dates(model, name):
    """Let an insert keep the dates given to an `auto_now_add` field (past movements).

    Cheaper than inserting then updating every row; only this process's inserts are
    concerned, for the time of the block.
    """
    field = model._meta.get_field(name)
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def create_deadlines(objects):
    """The deadlines of objects inserted in bulk, in one insert.

    The same rows `dpti.core.deadlines.sync_object_deadlines` writes object by object; the
    objects are new, so there is nothing to update or remove.
    """
    from dpti.core.registry import registry

    objects = list(objects)
    if not objects:
        return 0
    object_type = registry.get(type(objects[0]))
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    rows = []
    # Titles are stored text: written in the site's language, like the services do.
    with translation.override(settings.LANGUAGE_CODE):
        for obj in objects:
            for spec in object_type.deadlines(obj):
                if spec.due_date:
                    rows.append(
                        Deadline(
                            content_type=content_type,
                            object_id=obj.pk,
                            kind=spec.kind,
                            domain=object_type.domain or object_type.app_label,
                            title=spec.title[:255],
                            due_date=spec.due_date,
                            owner=spec.owner,
                            done=spec.done,
                        )
                    )
    Deadline.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def reserve(scope, count):
    """Take `count` consecutive values of a counter in one statement; return the first.

    The same upsert as `dpti.core.numbering.next_value`, by `count` instead of one.
    """
    table = NumberSequence._meta.db_table
    with connections[router.db_for_write(NumberSequence)].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, last_value) VALUES (%s, %s) "
            f"ON CONFLICT (scope) DO UPDATE SET last_value = {table}.last_value + %s "
            "RETURNING last_value",
            [scope, count, count],
        )
        return cursor.fetchone()[0] - count + 1


def number_assets(assets):
    """Give each asset the next numbers of the configured rule, one reservation per counter."""
    pattern = settings.DPTI["INVENTORY_NUMBER_PATTERN"]
    validate_pattern(pattern, INVENTORY_PATTERN_NAMES)
    names = sorted(pattern_fields(pattern) - {"seq"})
    max_length = Asset._meta.get_field("inventory_number").max_length

    def values_of(asset):
        return {"year": asset.acquisition_date.year, "category": asset.category.code}

    def scope_of(values):
        # As `dpti.core.numbering.next_number` names it, so the application goes on from here.
        return ":".join(["asset", *(f"{name}={values[name]}" for name in names)])

    counts = Counter(scope_of(values_of(asset)) for asset in assets)
    following = {scope: reserve(scope, count) for scope, count in sorted(counts.items())}
    for asset in assets:
        values = values_of(asset)
        scope = scope_of(values)
        asset.inventory_number = pattern.format(seq=following[scope], **values)
        following[scope] += 1
        if len(asset.inventory_number) > max_length:
            raise ValueError(f"{asset.inventory_number} is longer than {max_length} characters.")


def seed(*, size, stdout):
    """Create the assets of the given size, with movements for a share of them."""
    rng = random.Random(8)
    total = SIZES[size]
    started = time.monotonic()
    categories = list(AssetCategory.objects.filter(children=None).order_by("code"))
    rooms = list(Room.objects.order_by("pk").values_list("pk", "occupying_unit_id"))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    span = (LAST_DAY - FIRST_DAY).days
    counts = Counter()
    progress = Progress(stdout, "biens", total)

    def assets():
        for i in range(total):
            category = rng.choice(categories)
            acquired = FIRST_DAY + timedelta(days=rng.randint(0, span))
            room_id, unit_id = rng.choice(rooms) if rooms and rng.random() < 0.9 else (None, None)
            disposed = rng.random() < DISPOSED_SHARE
            status = Asset.Status.DISPOSED if disposed else rng.choice(STATUSES)
            if disposed:  # a decided disposal took it out of its room, service and holder
                room_id = unit_id = None
            yield Asset(
                label=f"{LABELS.get(category.code.split('-')[0], category.name)} {i + 1}",
                category=category,
                brand=rng.choice(BRANDS),
                model_name=f"M{rng.randint(100, 999)}",
                serial_number=f"SN{rng.randint(10**9, 10**10 - 1)}",
                acquisition_date=acquired,
                value=rng.choice(VALUES) * rng.randint(1, 9),
                supplier_id=rng.choice(companies) if companies else None,
                room_id=room_id,
                holder_unit_id=unit_id,
                # Drawn for every asset (the seed gives the same data), kept unless disposed.
                holder_id=[rng.choice(people) if people and rng.random() < 0.25 else None, None][
                    disposed
                ],
                status=status,
                warranty_end=acquired + timedelta(days=3 * 365) if acquired.year >= 2023 else None,
                created_at=at_nine(acquired),  # recorded when bought: its history starts there
            )

    for batch in batched(assets(), BATCH):
        number_assets(batch)
        with historical_dates(Asset, "created_at"):
            Asset.objects.bulk_create(batch)
        counts["assets"] += len(batch)
        counts["movements"] += len(create_movements(rng, batch, rooms))
        counts["disposals"] += len(create_disposals(batch))
        counts["deadlines"] += create_deadlines(a for a in batch if a.warranty_end)
        progress.advance(len(batch))
    stdout.write(
        f"Patrimoine mobilier : {counts['assets']:,} biens, {counts['movements']:,} mouvements, "
        f"{counts['disposals']:,} réformes, {counts['deadlines']:,} échéances "
        f"en {time.monotonic() - started:.1f} s."
    )
    # Bulk inserts send no signal: the stored register is computed once, at the end.
    build = rebuild()
    stdout.write(f"État de l'actif calculé en {build.seconds:.1f} s.")


def create_movements(rng, assets, rooms):
    """An entry, then a move from another room, for a share of the located assets."""
    with translation.override(settings.LANGUAGE_CODE):
        entry = gettext("Entry into the register")  # the reason the services write
    rows = []
    for asset in assets:
        if asset.room_id is None or rng.random() >= MOVED_SHARE:
            continue
        previous = rng.choice(rooms)[0]
        rows.append(
            AssetMovement(
                asset=asset,
                to_room_id=previous,
                to_holder_id=asset.holder_id,
                to_unit_id=asset.holder_unit_id,
                reason=entry,
                moved_at=at_nine(asset.acquisition_date),
            )
        )
        rows.append(
            AssetMovement(
                asset=asset,
                from_room_id=previous,
                to_room_id=asset.room_id,
                from_holder_id=asset.holder_id,
                to_holder_id=asset.holder_id,
                from_unit_id=asset.holder_unit_id,
                to_unit_id=asset.holder_unit_id,
                reason="Changement de bureau",
                moved_at=at_nine(
                    min(asset.acquisition_date + timedelta(days=rng.randint(30, 900)), LAST_DAY)
                ),
            )
        )
    with historical_dates(AssetMovement, "moved_at"):
        return AssetMovement.objects.bulk_create(rows)


def create_disposals(assets):
    """A decided disposal for each disposed asset."""
    rows = [
        Disposal(
            asset=asset,
            reason=Disposal.Reason.DESTRUCTION,
            state=Disposal.State.DECIDED,
            decision_reference=f"Délibération n° {asset.acquisition_date.year % 100}/2026",
            decision_date=LAST_DAY,  # after every acquisition
        )
        for asset in assets
        if asset.status == Asset.Status.DISPOSED
    ]
    return Disposal.objects.bulk_create(rows)
