"""The institution's organisation units (services, directorates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel
from dpti.core.validators import check_tree_parent, validate_phone


class OrganisationUnit(BaseModel):
    """A unit of the institution (unité organisationnelle): directorate, service, group…"""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Institution")
        DIRECTORATE = "directorate", _("Directorate")
        SERVICE = "service", _("Service")
        POLITICAL_GROUP = "political_group", _("Political group")
        COMMITTEE = "committee", _("Committee")
        OTHER = "other", _("Other")

    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("Short unique code, for example DPTI.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    manager = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
        verbose_name=_("head"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        check_tree_parent(self, message=_("A unit cannot be placed under itself."))
