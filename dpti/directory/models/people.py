"""People (agents, elected members, contractors' staff) and teams."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel
from dpti.core.validators import validate_phone
from dpti.directory.models.companies import Company
from dpti.directory.models.organisation import OrganisationUnit


class Person(BaseModel):
    """A person (personne): agent, elected member or contractor's employee."""

    class Kind(models.TextChoices):
        AGENT = "agent", _("Agent")
        ELECTED = "elected", _("Elected member")
        CONTRACTOR_STAFF = "contractor_staff", _("Contractor's staff")
        OTHER = "other", _("Other")

    class Civility(models.TextChoices):
        MR = "mr", _("Mr")
        MRS = "mrs", _("Mrs")

    civility = models.CharField(_("civility"), max_length=5, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENT)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation unit"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("company"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    mobile = models.CharField(_("mobile"), max_length=30, blank=True, validators=[validate_phone])
    office = models.CharField(_("office"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    access_until = models.DateField(
        _("access until"),
        null=True,
        blank=True,
        help_text=_("End of the person's access (contractor's staff, temporary agents)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="directory_person_unique_email",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="contractor_staff") | Q(company__isnull=False),
                name="directory_person_contractor_has_company",
                violation_error_message=_("A contractor's employee must belong to a company."),
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    def clean(self):
        # Mailboxes ignore case: stored lowercase, Marie.Tein@ and marie.tein@ are one address
        # for the unique constraint (checked after clean()).
        self.email = (self.email or "").strip().lower()

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Team(BaseModel):
    """A team (équipe) of people inside a unit, such as the IT support team."""

    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("organisation unit"),
    )
    leader = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="teams", verbose_name=_("members")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="directory_team_unique_name_per_unit",
                violation_error_message=_("This unit already has a team with this name."),
            )
        ]

    def __str__(self):
        return self.name
