"""Import screens of every object type: upload, column mapping, template, dry-run report,
progress, commit."""

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
from dpti.core.imports import jobs, matching
from dpti.core.imports.columns import import_columns, mapping_columns, match_header
from dpti.core.imports.engine import CREATE, ERROR, UNCHANGED, UPDATE
from dpti.core.imports.reader import EXTENSIONS, ImportFileError, read_sheet
from dpti.core.imports.template import describe, template_bytes
from dpti.core.imports.values import as_text, is_empty
from dpti.core.models import ImportJob, ImportMapping
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
        self.content, self.estimated_rows = content, sheet.estimated_rows
        self.header = sheet.header
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
            "saved_mappings": user_mappings(ot, request.user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        self.check_import_permission()
        return self.render_page(request, ImportUploadForm(object_type=self.object_type))

    def post(self, request):
        """Check the file, then dry-run it, or ask first which field each column fills.

        The mapping step is skipped when every header names its field (the template's own
        file) or when one of the user's saved mappings knows every header.
        """
        self.check_import_permission()
        ot = self.object_type
        form = ImportUploadForm(request.POST, request.FILES, object_type=ot)
        if not form.is_valid():
            return self.render_page(request, form, status=422)
        header = form.header
        saved = matching.saved_mapping_for(user_mappings(ot, request.user), header)
        proposals = matching.propose_mapping(ot, header, saved.columns if saved else None)
        mapping = None
        if saved is not None:
            mapping = matching.as_choices(proposals)
            if match_header(ot, header, mapping).errors:
                saved = mapping = None  # the saved mapping does not fit: let the user see
        elif not matching.needs_confirmation(proposals):
            match = match_header(ot, header)
            if match.errors:
                for error in match.errors:
                    form.add_error("file", error)
                return self.render_page(request, form, status=422)
        uploaded = form.cleaned_data["file"]
        job = jobs.create_job(ot, request.user, uploaded.name, form.content)
        if saved is None and mapping is None and matching.needs_confirmation(proposals):
            job.status = ImportJob.Status.MAPPING
            job.report = {**job.report, "estimated_rows": form.estimated_rows}
            job.save(update_fields=["status", "report"])
            return HttpResponseRedirect(self.job_url(job, "import_mapping"))
        if mapping is not None:
            job.report = {**job.report, "mapping": mapping, "mapping_name": saved.name}
            job.save(update_fields=["report"])
        jobs.start(job, jobs.VALIDATE, form.estimated_rows)
        return HttpResponseRedirect(self.job_url(job))


def user_mappings(object_type, user):
    """The column mappings a user saved for a type, most recently saved first."""
    return list(ImportMapping.objects.filter(owner=user, object_type=object_type.label))


SAMPLE_ROWS = 3
IGNORE = ""


class ImportMappingForm(forms.Form):
    """One select per column of the file (a field of the type, or « Ignore »), and the
    choice to save the mapping under a name for the next files."""

    save_mapping = forms.BooleanField(
        label=gettext_lazy("Save this mapping template"), required=False
    )
    mapping_name = forms.CharField(
        label=gettext_lazy("Template name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Offered on your next imports, applied by itself to a file with the same columns."
        ),
    )

    def __init__(self, *args, object_type=None, header=(), proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.object_type, self.header = object_type, header
        choices = [(IGNORE, _("Ignore"))] + [
            (spec.id, f"{spec.label}{' *' if spec.required else ''}")
            for spec in mapping_columns(object_type)
        ]
        self.columns = []
        for proposal in proposals:
            if not proposal.header:
                continue
            name = f"column_{proposal.index}"
            self.fields[name] = forms.ChoiceField(
                label=proposal.header, choices=choices, required=False, initial=proposal.choice
            )
            self.columns.append((proposal, name))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        mapping = [IGNORE] * len(self.header)
        for proposal, name in self.columns:
            mapping[proposal.index] = cleaned.get(name) or IGNORE
        match = match_header(self.object_type, self.header, mapping)
        if match.errors:
            raise ValidationError(match.errors)
        if cleaned.get("save_mapping") and not cleaned.get("mapping_name", "").strip():
            self.add_error("mapping_name", _("Give the mapping template a name to save it."))
        self.mapping = mapping
        return cleaned

    def rows(self, samples):
        """(header, sample values, bound select, how it was proposed) for each column."""
        return [
            (proposal.header, samples.get(proposal.index, []), self[name], proposal.how)
            for proposal, name in self.columns
        ]


class ImportMappingView(ImportMixin, View):
    """The mapping step: the user confirms or corrects which field each column fills."""

    template_name = "core/imports/mapping.html"
    HOW_LABELS = {
        matching.EXACT: (gettext_lazy("Same name"), "bg-green-lt"),
        matching.SYNONYM: (gettext_lazy("Synonym"), "bg-green-lt"),
        matching.CLOSE: (gettext_lazy("Close name: check it"), "bg-yellow-lt"),
        matching.SAVED: (gettext_lazy("Saved mapping"), "bg-blue-lt"),
        matching.NONE: (gettext_lazy("Not recognised"), "bg-secondary-lt"),
    }

    def read_file(self, job):
        """The file's header and a few values of each column, to recognise them."""
        with job.file.open("rb") as stored:
            sheet = read_sheet(job.original_name, stored.read())
        samples = {}
        try:
            for count, (_number, values) in enumerate(sheet.rows()):
                if count >= SAMPLE_ROWS:
                    break
                for index, raw in enumerate(values[: len(sheet.header)]):
                    if not is_empty(raw):
                        samples.setdefault(index, []).append(as_text(raw)[:60])
        finally:
            sheet.close()
        return sheet.header, samples

    def render_page(self, request, job, form, samples, saved_list, status=200):
        rows = [
            (header, values, field, *self.HOW_LABELS[how])
            for header, values, field, how in form.rows(samples)
        ]
        context = {
            **self.base_context(),
            "job": job,
            "form": form,
            "rows": rows,
            "saved_mappings": saved_list,
            "upload_url": reverse(self.object_type.url_name("import")),
        }
        return render(request, self.template_name, context, status=status)

    def get_mapping_job(self, job_id):
        self.check_import_permission()
        job = self.get_job(job_id)
        if job.status != ImportJob.Status.MAPPING:
            return job, HttpResponseRedirect(self.job_url(job))
        return job, None

    def get(self, request, job_id):
        job, redirect = self.get_mapping_job(job_id)
        if redirect:
            return redirect
        header, samples = self.read_file(job)
        saved_list = user_mappings(self.object_type, request.user)
        chosen = next((m for m in saved_list if str(m.pk) == request.GET.get("saved")), None)
        if chosen:
            saved = chosen.columns
        elif job.report.get("mapping"):
            # Back from the dry run to change the mapping: start from the one confirmed.
            saved = matching.saved_form(header, job.report["mapping"])
        else:
            saved = None
        proposals = matching.propose_mapping(self.object_type, header, saved)
        form = ImportMappingForm(
            object_type=self.object_type,
            header=header,
            proposals=proposals,
            initial={"mapping_name": chosen.name if chosen else ""},
        )
        return self.render_page(request, job, form, samples, saved_list)

    def post(self, request, job_id):
        job, redirect = self.get_mapping_job(job_id)
        if redirect:
            return redirect
        header, samples = self.read_file(job)
        proposals = matching.propose_mapping(self.object_type, header)
        form = ImportMappingForm(
            request.POST,
            object_type=self.object_type,
            header=header,
            proposals=proposals,
        )
        if not form.is_valid():
            saved_list = user_mappings(self.object_type, request.user)
            return self.render_page(request, job, form, samples, saved_list, status=422)
        report = {**job.report, "mapping": form.mapping}
        report.pop("mapping_name", None)  # a mapping changed and not saved is no template
        if form.cleaned_data["save_mapping"]:
            name = form.cleaned_data["mapping_name"].strip()
            ImportMapping.objects.update_or_create(
                owner=request.user,
                object_type=self.object_type.label,
                name=name,
                defaults={"columns": matching.saved_form(header, form.mapping)},
            )
            report["mapping_name"] = name
            messages.success(
                request,
                _("The mapping template “%(name)s” is saved for your next files.") % {"name": name},
            )
        # Two submissions of the page (a double click) must not start two runs.
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.MAPPING).update(
            status=ImportJob.Status.PENDING, report=report
        )
        if claimed:
            job.report = report
            jobs.start(job, jobs.VALIDATE, report.get("estimated_rows"))
        return HttpResponseRedirect(self.job_url(job))


class ImportMappingDeleteView(ImportMixin, View):
    """Delete one of the user's saved column mappings (others' do not exist for him)."""

    def post(self, request, mapping_id):
        self.check_import_permission()
        mapping = get_object_or_404(
            ImportMapping, pk=mapping_id, owner=request.user, object_type=self.object_type.label
        )
        mapping.delete()
        messages.success(
            request, _("The mapping template “%(name)s” is deleted.") % {"name": mapping.name}
        )
        return HttpResponseRedirect(reverse(self.object_type.url_name("import")))


class ImportRemapView(ImportMixin, View):
    """Back from a dry run to the mapping step, to change which field a column fills."""

    def post(self, request, job_id):
        self.check_import_permission()
        job = self.get_job(job_id)
        reopened = ImportJob.objects.filter(
            pk=job.pk, status__in=(ImportJob.Status.VALIDATED, ImportJob.Status.INVALID)
        ).update(status=ImportJob.Status.MAPPING)
        if not reopened:
            messages.warning(request, _("The columns of this import can no longer be changed."))
            return HttpResponseRedirect(self.job_url(job))
        return HttpResponseRedirect(self.job_url(job, "import_mapping"))


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
        if job.status == ImportJob.Status.MAPPING:
            return HttpResponseRedirect(self.job_url(job, "import_mapping"))
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
            # Until the import, the user may go back to the mapping step and change it.
            "can_remap": job.status in (ImportJob.Status.VALIDATED, ImportJob.Status.INVALID),
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
            f"{slug}/import/mappings/<int:mapping_id>/delete/",
            view(ImportMappingDeleteView),
            name=f"{name}_import_mapping_delete",
        ),
        path(
            f"{slug}/import/<int:job_id>/remap/", view(ImportRemapView), name=f"{name}_import_remap"
        ),
        path(
            f"{slug}/import/<int:job_id>/mapping/",
            view(ImportMappingView),
            name=f"{name}_import_mapping",
        ),
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
