"""Import screens of every object type: upload, template, dry-run report, progress, commit."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.core.exports import XLSX_MIME
from dpti.core.htmx import vary_on_htmx, wants_fragment
from dpti.core.imports import jobs
from dpti.core.imports.columns import import_columns, match_header
from dpti.core.imports.engine import CREATE, ERROR, UNCHANGED, UPDATE
from dpti.core.imports.reader import EXTENSIONS, ImportFileError, read_sheet
from dpti.core.imports.template import describe, template_bytes
from dpti.core.models import ImportJob
from dpti.core.views.mixins import ObjectTypeMixin

BADGES = {
    CREATE: "bg-green-lt",
    UPDATE: "bg-blue-lt",
    UNCHANGED: "bg-secondary-lt",
    ERROR: "bg-red-lt",
}


class ImportUploadForm(forms.Form):
    """The file to import; its kind, size and header are checked on upload."""

    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in EXTENSIONS)}),
    )

    def __init__(self, *args, object_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.object_type = object_type

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            content = uploaded.read()
            sheet = read_sheet(uploaded.name, content)
        except ImportFileError as problem:
            raise ValidationError(problem.messages) from problem
        sheet.close()
        match = match_header(self.object_type, sheet.header)
        if match.errors:
            raise ValidationError(match.errors)
        self.content, self.estimated_rows = content, sheet.estimated_rows
        return uploaded


class ImportMixin(ObjectTypeMixin):
    """Import screens need the right to add records of the type."""

    action = "add"

    def check_import_permission(self):
        if not (self.object_type.allow_import and self.object_type.allow_add):
            raise PermissionDenied
        self.check_model_permission("add")

    def get_job(self, job_id):
        """A job of this type started by the user (others' jobs do not exist for him)."""
        return get_object_or_404(
            ImportJob.objects.select_related("created_by"),
            pk=job_id,
            object_type=self.object_type.label,
            created_by=self.request.user,
        )

    def job_url(self, job, action="import_job"):
        return reverse(self.object_type.url_name(action), args=[job.pk])


class ImportUploadView(ImportMixin, View):
    """Upload page: the file field, the template to download, the user's recent imports."""

    template_name = "core/imports/upload.html"

    def render_page(self, request, form, status=200):
        ot = self.object_type
        context = {
            **self.base_context(),
            "form": form,
            "columns": [(spec, describe(spec)) for spec in import_columns(ot)],
            "key_label": (ot.opts.get_field(ot.import_key).verbose_name if ot.import_key else None),
            "recent_jobs": ImportJob.objects.filter(object_type=ot.label, created_by=request.user)[
                :5
            ],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        self.check_import_permission()
        return self.render_page(request, ImportUploadForm(object_type=self.object_type))

    def post(self, request):
        self.check_import_permission()
        form = ImportUploadForm(request.POST, request.FILES, object_type=self.object_type)
        if not form.is_valid():
            return self.render_page(request, form, status=422)
        uploaded = form.cleaned_data["file"]
        job = jobs.create_job(self.object_type, request.user, uploaded.name, form.content)
        jobs.start(job, jobs.VALIDATE, form.estimated_rows)
        return HttpResponseRedirect(self.job_url(job))


class ImportTemplateView(ImportMixin, View):
    """The XLSX template of the type's import, in the user's language."""

    def get(self, request):
        self.check_import_permission()
        ot = self.object_type
        response = HttpResponse(template_bytes(ot), content_type=XLSX_MIME)
        name = slugify(f"{_('import')} {ot.verbose_name_plural}")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


def _rows_for_display(report, committed):
    """The report's rows with the label and colour of their action."""
    labels = {
        CREATE: _("Created") if committed else _("To create"),
        UPDATE: _("Updated") if committed else _("To update"),
        UNCHANGED: _("Unchanged"),
        ERROR: _("Error"),
    }
    return [
        {
            **row,
            "action_label": labels.get(row["action"], row["action"]),
            "badge": BADGES.get(row["action"], ""),
        }
        for row in report.get("rows", [])
    ]


class ImportJobView(ImportMixin, View):
    """One import: its progress while it runs, then its report and the confirm button."""

    template_name = "core/imports/job.html"

    def get(self, request, job_id):
        self.check_import_permission()
        job = self.get_job(job_id)
        report = job.report or {}
        committed = job.status == ImportJob.Status.DONE
        context = {
            **self.base_context(),
            "job": job,
            "report": report,
            "counts": report.get("counts", {}),
            "rows": _rows_for_display(report, committed),
            "running": job.status in jobs.RUNNING,
            "committed": committed,
            "can_commit": job.status == ImportJob.Status.VALIDATED,
            "progress": jobs.read_progress(job),
            "upload_url": reverse(self.object_type.url_name("import")),
        }
        return render(request, self.template_name, context)


class ImportProgressView(ImportMixin, View):
    """The progress bar a running job's page polls; reloads the page once the job ends."""

    def get(self, request, job_id):
        self.check_import_permission()
        job = self.get_job(job_id)
        if job.status in jobs.RUNNING:
            return render(
                request,
                "core/imports/progress.html",
                {"job": job, "progress": jobs.read_progress(job), "object_type": self.object_type},
            )
        if wants_fragment(request):
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return vary_on_htmx(response, fragment=True)
        return vary_on_htmx(HttpResponseRedirect(self.job_url(job)))


class ImportCommitView(ImportMixin, View):
    """Confirm a clean dry run: import every row, all or nothing."""

    def post(self, request, job_id):
        self.check_import_permission()
        job = self.get_job(job_id)
        if not jobs.claim_commit(job):
            messages.warning(request, _("This import cannot be confirmed in its current state."))
            return HttpResponseRedirect(self.job_url(job))
        job.report = {**job.report, "confirmed_at": timezone.now().isoformat()}
        job.save(update_fields=["report"])
        jobs.start(job, jobs.COMMIT, job.total_rows)
        return HttpResponseRedirect(self.job_url(job))


def import_urls(object_type):
    """URL patterns of the import screens of one object type."""
    if not object_type.allow_import:
        return []
    slug, name = object_type.slug, object_type.model_name

    def view(cls):
        return cls.as_view(object_type=object_type)

    return [
        path(f"{slug}/import/", view(ImportUploadView), name=f"{name}_import"),
        path(f"{slug}/import/template/", view(ImportTemplateView), name=f"{name}_import_template"),
        path(f"{slug}/import/<int:job_id>/", view(ImportJobView), name=f"{name}_import_job"),
        path(
            f"{slug}/import/<int:job_id>/progress/",
            view(ImportProgressView),
            name=f"{name}_import_progress",
        ),
        path(
            f"{slug}/import/<int:job_id>/commit/",
            view(ImportCommitView),
            name=f"{name}_import_commit",
        ),
    ]
