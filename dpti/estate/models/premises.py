"""Sites, buildings (with their public-building class), floors and rooms."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel


class Tenure(models.TextChoices):
    """Whether the institution owns the premises or rents them."""

    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    MADE_AVAILABLE = "made_available", _("Made available free of charge")


def latitude_field():
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees (WGS 84), e.g. -22.275800 for Nouméa."),
    )


def longitude_field():
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees (WGS 84), e.g. 166.458000 for Nouméa."),
    )


class SiteQuerySet(models.QuerySet):
    def with_area(self):
        """Annotate `total_area`: the sum of the surfaces of the site's active rooms."""
        return self.annotate(
            total_area=Sum(
                "buildings__floors__rooms__area", filter=Q(buildings__floors__rooms__is_active=True)
            )
        )


class Site(BaseModel):
    """A site (site): a plot of land holding one or more buildings."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("A site with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Nouméa")
    latitude = latitude_field()
    longitude = longitude_field()
    cadastral_reference = models.CharField(
        _("cadastral reference"),
        max_length=100,
        blank=True,
        help_text=_("Lot number and section, or NIC of the land registry."),
    )
    tenure = models.CharField(
        _("tenure"), max_length=20, choices=Tenure.choices, default=Tenure.OWNED
    )
    land_area = models.DecimalField(
        _("land area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BuildingQuerySet(models.QuerySet):
    def with_area(self):
        """Annotate `total_area`: the sum of the surfaces of the building's active rooms."""
        return self.annotate(
            total_area=Sum("floors__rooms__area", filter=Q(floors__rooms__is_active=True))
        )


class Building(BaseModel):
    """A building (bâtiment) of a site, possibly a building open to the public (ERP)."""

    class Kind(models.TextChoices):
        OFFICES = "offices", _("Offices")
        ASSEMBLY = "assembly", _("Assembly hall")
        RECEPTION = "reception", _("Reception of the public")
        STORAGE = "storage", _("Storage and workshops")
        TECHNICAL = "technical", _("Technical building")
        CAR_PARK = "car_park", _("Car park")
        HOUSING = "housing", _("Housing")
        OTHER = "other", _("Other")

    class ErpType(models.TextChoices):
        """ERP types of the fire-safety rules (délibération n° 315 du 30 août 2013)."""

        L = "L", _("L — meeting, conference and performance halls")
        M = "M", _("M — shops")
        N = "N", _("N — restaurants and bars")
        O = "O", _("O — hotels")  # noqa: E741
        P = "P", _("P — dance halls and game rooms")
        R = "R", _("R — teaching and training")
        S = "S", _("S — libraries and archives")
        T = "T", _("T — exhibition halls")
        U = "U", _("U — care facilities")
        V = "V", _("V — places of worship")
        W = "W", _("W — administrations, banks, offices")
        X = "X", _("X — covered sports facilities")
        Y = "Y", _("Y — museums")

    class ErpCategory(models.IntegerChoices):
        FIRST = 1, _("1st category (over 1,500 people)")
        SECOND = 2, _("2nd category (701 to 1,500 people)")
        THIRD = 3, _("3rd category (301 to 700 people)")
        FOURTH = 4, _("4th category (300 people or fewer)")
        FIFTH = 5, _("5th category (below the threshold of the type)")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("site")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("A building with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("building type"), max_length=20, choices=Kind.choices, default=Kind.OFFICES
    )
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1850), MaxValueValidator(2100)],
    )
    tenure = models.CharField(
        _("tenure"), max_length=20, choices=Tenure.choices, default=Tenure.OWNED
    )
    cadastral_reference = models.CharField(_("cadastral reference"), max_length=100, blank=True)
    address = models.CharField(
        _("address"), max_length=250, blank=True, help_text=_("Leave empty when it is the site's.")
    )
    latitude = latitude_field()
    longitude = longitude_field()
    is_erp = models.BooleanField(_("open to the public (ERP)"), default=False)
    erp_type = models.CharField(_("ERP type"), max_length=1, choices=ErpType.choices, blank=True)
    erp_category = models.PositiveSmallIntegerField(
        _("ERP category"), choices=ErpCategory.choices, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["site__name", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_erp and (not self.erp_type or not self.erp_category):
            raise ValidationError(
                _("A building open to the public needs its ERP type and category.")
            )
        if not self.is_erp and (self.erp_type or self.erp_category):
            raise ValidationError(
                {"is_erp": _("Tick 'open to the public' to give an ERP type or category.")}
            )


class FloorQuerySet(models.QuerySet):
    def with_area(self):
        """Annotate `total_area`: the sum of the surfaces of the floor's active rooms."""
        return self.annotate(total_area=Sum("rooms__area", filter=Q(rooms__is_active=True)))


class Floor(BaseModel):
    """A floor (niveau) of a building; its plans are attached as files."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="floors", verbose_name=_("building")
    )
    level = models.SmallIntegerField(
        _("level"), help_text=_("0 for the ground floor, negative below ground.")
    )
    name = models.CharField(_("name"), max_length=100)

    objects = FloorQuerySet.as_manager()

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "level"],
                name="floor_level_unique_per_building",
                violation_error_message=_("This building already has a floor at this level."),
            )
        ]

    def __str__(self):
        return f"{self.building} — {self.name}"


class Room(BaseModel):
    """A room (local): an office, a meeting room, the hemicycle, a store room…"""

    class Use(models.TextChoices):
        OFFICE = "office", _("Office")
        OPEN_SPACE = "open_space", _("Open-plan office")
        MEETING_ROOM = "meeting_room", _("Meeting room")
        HEMICYCLE = "hemicycle", _("Hemicycle")
        RECEPTION = "reception", _("Reception")
        STORAGE = "storage", _("Storage")
        ARCHIVES = "archives", _("Archives")
        TECHNICAL = "technical", _("Technical room")
        SERVER_ROOM = "server_room", _("Server room")
        WORKSHOP = "workshop", _("Workshop")
        KITCHEN = "kitchen", _("Kitchen and break room")
        SANITARY = "sanitary", _("Sanitary facilities")
        CIRCULATION = "circulation", _("Circulation")
        CAR_PARK = "car_park", _("Car park")
        OTHER = "other", _("Other")

    floor = models.ForeignKey(
        Floor, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("floor")
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Unique code written on the door, e.g. SIE-1-104."),
        error_messages={"unique": _("A room with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=150)
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, default=Use.OFFICE)
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats or workstations.")
    )
    occupying_unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rooms",
        verbose_name=_("occupying service"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def building(self):
        return self.floor.building
