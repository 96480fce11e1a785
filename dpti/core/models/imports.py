"""A file import: its dry run, its progress and its outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One CSV/XLSX file imported into one object type, validated then committed all at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        MAPPING = "mapping", _("Column mapping to confirm")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Validated")
        INVALID = "invalid", _("Errors found")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    object_type = models.CharField(_("object type"), max_length=100)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class ImportMapping(models.Model):
    """A user's saved column mapping for one type's imports: which field each header fills.

    `columns` maps a folded header (no accents, case, spaces or punctuation) to a column id
    of the type, or "" for a column to ignore. Offered on the mapping step, and applied by
    itself to a file whose headers it all knows.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_mappings",
        verbose_name=_("owner"),
    )
    object_type = models.CharField(_("object type"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(_("column mapping"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "object_type", "name"],
                name="core_importmapping_unique_name",
                violation_error_message=_("You already have a mapping with this name."),
            )
        ]

    def __str__(self):
        return self.name
