"""The abstract base model of every business object."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Raised when a record changed since the editor loaded it (optimistic lock)."""

    def __init__(self, current, differences):
        self.current = current
        self.differences = differences  # [(field verbose name, stored value, submitted value)]
        super().__init__(str(current))


class ObjectLinkedModel(models.Model):
    """Attached to any object through its type and id (files, comments, deadlines)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class RegistryUrlMixin:
    """`get_absolute_url` pointing to the generic detail view the registry generates."""

    def get_absolute_url(self):
        opts = self._meta
        try:
            return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])
        except NoReverseMatch:
            return ""


class BaseModel(RegistryUrlMixin, models.Model):
    """Timestamps, authors and an optimistic-lock version shared by every business object.

    `version` grows by one at each save made through `dpti.core.services.save_object`, which
    refuses a save whose expected version is no longer the stored one.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
