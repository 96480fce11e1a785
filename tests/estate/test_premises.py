"""Rules of the premises: surfaces, ERP classification, leases, what a room holds."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dpti.core import roles
from dpti.core.models import Deadline
from dpti.core.services import save_object
from dpti.estate.models import Building, Floor, Lease, Site
from tests.factories import (
    AssetFactory,
    BuildingFactory,
    FloorFactory,
    LeaseFactory,
    RoomFactory,
    SiteFactory,
)
from tests.files import png_bytes

pytestmark = pytest.mark.django_db


def test_surfaces_add_up_per_floor_building_and_site_and_ignore_inactive_rooms():
    """A floor, building and site show the sum of the areas of their active rooms."""
    site = SiteFactory()
    building = BuildingFactory(site=site)
    ground, first = (
        FloorFactory(building=building, level=0),
        FloorFactory(building=building, level=1),
    )
    RoomFactory(floor=ground, area=Decimal("12.50"))
    RoomFactory(floor=ground, area=Decimal("30"))
    RoomFactory(floor=first, area=Decimal("20.25"))
    RoomFactory(floor=first, area=Decimal("99"), is_active=False)
    other_site_room = RoomFactory(area=Decimal("1000"))

    assert Floor.objects.with_area().get(pk=ground.pk).total_area == Decimal("42.50")
    assert Floor.objects.with_area().get(pk=first.pk).total_area == Decimal("20.25")
    assert Building.objects.with_area().get(pk=building.pk).total_area == Decimal("62.75")
    assert Site.objects.with_area().get(pk=site.pk).total_area == Decimal("62.75")
    assert other_site_room.floor.building.site_id != site.pk


def test_site_page_and_list_show_the_summed_area_in_french(client_for):
    """The site's page and list write the total area as French does: 62,75 m²."""
    site = SiteFactory()
    floor = FloorFactory(building=BuildingFactory(site=site))
    RoomFactory(floor=floor, area=Decimal("50.25"))
    RoomFactory(floor=floor, area=Decimal("12.5"))
    client = client_for(roles.PROPERTY_MANAGER)

    detail = client.get(reverse("estate:site_detail", args=[site.pk])).content.decode()
    listing = client.get(reverse("estate:site_list")).content.decode()

    assert "62,75\u00a0m²" in detail
    assert "62,75\u00a0m²" in listing


def test_a_building_open_to_the_public_needs_its_type_and_category():
    """ERP type and category go together with the ERP flag, both ways."""
    building = BuildingFactory.build(site=SiteFactory(), is_erp=True, erp_type="L")
    with pytest.raises(ValidationError) as error:
        building.full_clean()
    assert "ERP" in str(error.value)
    building.erp_category = Building.ErpCategory.SECOND
    building.full_clean()

    not_erp = BuildingFactory.build(site=SiteFactory(), is_erp=False, erp_type="W")
    with pytest.raises(ValidationError) as error:
        not_erp.full_clean()
    assert "is_erp" in error.value.message_dict


def test_a_lease_declares_its_notice_and_end_deadlines(user_with_role):
    """Saving a lease registers the end date and the last day to give notice."""
    lease = LeaseFactory.build(
        building=BuildingFactory(),
        start_date=date(2024, 3, 1),
        end_date=date(2027, 2, 28),
        notice_months=6,
    )
    save_object(lease, user=user_with_role(roles.PROPERTY_MANAGER))

    due = dict(
        Deadline.objects.filter(object_id=lease.pk, kind__startswith="lease").values_list(
            "kind", "due_date"
        )
    )
    assert due == {"lease_end": date(2027, 2, 28), "lease_notice": date(2026, 8, 28)}


def test_a_lease_needs_a_landlord_and_an_end_after_its_start():
    """No landlord, or an end before the start, is refused with a French-ready message."""
    lease = Lease(building=BuildingFactory(), start_date=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        lease.full_clean()
    lease.landlord_name = "SCI Baie de la Moselle"
    lease.end_date = date(2025, 12, 31)
    with pytest.raises(ValidationError):
        lease.full_clean()
    lease.end_date = date(2028, 12, 31)
    lease.full_clean()


def test_two_floors_of_a_building_cannot_share_a_level():
    """The level identifies a floor within its building."""
    floor = FloorFactory(level=2)
    duplicate = Floor(building=floor.building, level=2, name="Deuxième")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    Floor(building=BuildingFactory(), level=2, name="Deuxième").full_clean()


def test_a_room_page_lists_the_assets_located_in_it(client_for):
    """The room's page shows what is in it, and only that."""
    room = RoomFactory()
    here = AssetFactory(room=room, label="Armoire haute à rideaux")
    elsewhere = AssetFactory(label="Table de réunion ovale")
    client = client_for(roles.TECHNICIAN)

    page = client.get(reverse("estate:room_detail", args=[room.pk])).content.decode()

    assert here.label in page
    assert elsewhere.label not in page


def test_rooms_filter_by_site_through_floors_and_buildings(client_for):
    """The room list filters by site across floor and building."""
    wanted = RoomFactory(name="Salle Kanak")
    RoomFactory(name="Salle Vauban")
    client = client_for(roles.PROPERTY_MANAGER)
    site = wanted.floor.building.site

    page = client.get(reverse("estate:room_list"), {"floor__building__site": site.pk})

    assert "Salle Kanak" in page.content.decode()
    assert "Salle Vauban" not in page.content.decode()


def test_a_floor_shows_its_attached_plans_and_only_images_open_inline(client_for):
    """A plan image is shown in the floor's page; other files always download."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dpti.core.attachments import attach_file

    client = client_for(roles.PROPERTY_MANAGER)
    floor = FloorFactory(name="Rez-de-chaussée")
    plan = attach_file(
        obj=floor,
        uploaded=SimpleUploadedFile("plan-rdc.png", png_bytes(), content_type="image/png"),
        user=client.user,
        description="Plan du rez-de-chaussée",
    )
    notes = attach_file(
        obj=floor,
        uploaded=SimpleUploadedFile("notes.txt", b"clefs a l'accueil", content_type="text/plain"),
        user=client.user,
    )

    page = client.get(reverse("estate:floor_detail", args=[floor.pk])).content.decode()
    inline = client.get(reverse("attachment_download", args=[plan.pk]), {"inline": "1"})
    text = client.get(reverse("attachment_download", args=[notes.pk]), {"inline": "1"})

    assert "Plan du rez-de-chaussée" in page
    assert f"{reverse('attachment_download', args=[plan.pk])}?inline=1" in page
    assert "notes.txt" not in page.split('id="plans"')[1].split("</div>\n</div>")[0]
    assert inline["Content-Disposition"].startswith("inline")
    assert text["Content-Disposition"].startswith("attachment")
