"""The single register of upcoming deadlines (échéancier) fed by every module."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpti.core.models.base import ObjectLinkedModel


class Deadline(ObjectLinkedModel):
    """A dated obligation attached to a business object (inspection, contract end, renewal…).

    Rows are derived data: each registered object type declares its deadlines and the core
    keeps this table in step on every write (see `dpti.core.deadlines`).
    """

    kind = models.CharField(_("kind"), max_length=60)
    domain = models.CharField(_("domain"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    due_date = models.DateField(_("due date"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("owner"),
    )
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="core_deadline_unique_source"
            )
        ]
        indexes = [models.Index(fields=["owner", "due_date"])]

    def __str__(self):
        return f"{self.due_date:%d/%m/%Y} · {self.title}"


def new_calendar_secret():
    """A long random secret for a calendar feed URL."""
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret of a user's personal iCalendar feed; regenerating it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    secret = models.CharField(_("secret"), max_length=64, unique=True, default=new_calendar_secret)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["user"]

    def __str__(self):
        return str(self.user)
