"""Generic views of every registered object type: a model's screens cost no view code."""

from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django_tables2 import RequestConfig

from dpti.core import preferences
from dpti.core.detail import detail_context
from dpti.core.exports import EXPORT_FORMATS, export_response
from dpti.core.forms import BulkEditForm
from dpti.core.htmx import render_page_or_fragment
from dpti.core.models import ConcurrentEditError
from dpti.core.pagination import EstimatingPaginator
from dpti.core.permissions import abilities, has_model_permission, restrict
from dpti.core.registry import registry
from dpti.core.services import (
    delete_in_bulk,
    delete_object,
    dependent_objects,
    save_object,
    update_fields_in_bulk,
)
from dpti.core.tables import related_fields_to_load
from dpti.core.views.mixins import ObjectTypeMixin

PAGE_SIZES = (25, 50, 100, 250)


class InvalidFormError(Exception):
    """Raised inside a write transaction to roll it back when the form does not validate."""


def field_label(model, name):
    """The verbose name of a model field, or the name itself when it is not one."""
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


def add_model_errors(form, error):
    """Attach a model ValidationError to the form: on its field when shown, else on top.

    A rule checked after the form's own validation (in `save_object`: a hook, the model's
    complete validation) may name a field the form does not show: it is written on top of the
    form with the field's name, never raised as a server error.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields else None
        for message in errors:
            if target is None and name != NON_FIELD_ERRORS:
                label = field_label(form.instance, name) if name else name
                form.add_error(
                    None,
                    _("%(field)s: %(message)s")
                    % {"field": capfirst(str(label)), "message": " ".join(message.messages)},
                )
            else:
                form.add_error(target, message)


def safe_next(request, fallback):
    """The `next` parameter when it points inside the site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


class ObjectListView(ObjectTypeMixin, View):
    """Sortable, filterable, paginated list with quick search, chosen columns and exports."""

    template_name = "core/generic/object_list.html"

    def filtered(self, request):
        ot = self.object_type
        filterset = ot.filterset(
            request.GET or None,
            queryset=ot.annotate_list(self.restricted_queryset()),
            request=request,
        )
        # A filter on records the user may not see would only offer an empty list.
        relations = {f.name: f for f in ot.model._meta.get_fields() if f.is_relation}
        for name, list_filter in list(filterset.filters.items()):
            field = relations.get(list_filter.field_name)
            if (
                field is not None
                and field.related_model in registry
                and not has_model_permission(request.user, field.related_model, "view")
            ):
                del filterset.filters[name]
        # Invalid filter values are reported in the form; the valid ones still apply.
        return filterset, filterset.qs

    def build_table(self, request, queryset, columns):
        ot = self.object_type
        select, prefetch = related_fields_to_load(ot, columns)
        if select:
            queryset = queryset.select_related(*select)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        hidden = [name for name, _label in ot.table.selectable_columns() if name not in columns]
        if not self.can_bulk():
            hidden.append("select")  # no bulk action to select for: keep the width for data
        # No request here: given one, the table would paginate itself at once, counting every
        # row, before the caller configures it (sorting, page size, estimated count).
        return ot.table(queryset, exclude=hidden)

    def can_bulk(self):
        ot, user = self.object_type, self.request.user
        can_edit = (
            ot.allow_bulk_edit
            and ot.bulk_edit_fields
            and user.has_perm(f"{ot.app_label}.change_{ot.model_name}")
        )
        can_delete = ot.allow_bulk_delete and user.has_perm(
            f"{ot.app_label}.delete_{ot.model_name}"
        )
        return bool(can_edit or can_delete)

    def get(self, request):
        self.check_model_permission()
        ot = self.object_type
        filterset, queryset = self.filtered(request)
        columns = preferences.chosen_columns(request.user, ot)
        table = self.build_table(request, queryset, columns)
        export = request.GET.get("export")
        if export in EXPORT_FORMATS and ot.allow_export:
            RequestConfig(request, paginate=False).configure(table)
            return export_response(ot, table, export)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        # An unfiltered big table is counted from PostgreSQL's statistics (see core.pagination).
        paginate = {"per_page": per_page, "paginator_class": EstimatingPaginator}
        RequestConfig(request, paginate={**paginate, "queryset": queryset}).configure(table)
        context = {
            **self.base_context(),
            "table": table,
            "filterset": filterset,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
            "selectable_columns": preferences.selectable_columns(request.user, ot),
            "chosen_columns": columns,
            "list_actions": ot.list_actions(request),
            "active_filters": bool(
                filterset.is_bound
                and any(v for k, v in request.GET.items() if k not in {"page", "sort", "per_page"})
            ),
        }
        return render_page_or_fragment(
            request, self.template_name, "core/htmx/table.html", context, target="object-table"
        )


class ObjectDetailView(ObjectTypeMixin, View):
    """One object: its fields, related records, history, attachments, comments, deadlines."""

    template_name = "core/generic/object_detail.html"

    def restricted_queryset(self, action=None):
        return self.object_type.detail_queryset(super().restricted_queryset(action))

    def get(self, request, pk):
        obj = self.get_object(pk)
        context = {
            **self.base_context(),
            **detail_context(self.object_type, obj, request),
            "object": obj,
            "abilities": abilities(request.user, obj),
            "extra_actions": registry.detail_actions(self.object_type, obj, request.user),
        }
        return render(request, self.template_name, context)


class ObjectEditView(ObjectTypeMixin, View):
    """Create or edit an object; a stale edit is refused and shows what changed meanwhile."""

    template_name = "core/generic/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.action = "change" if kwargs.get("pk") else "add"
        if self.action == "add" and not self.object_type.allow_add:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, obj, status=200, conflict=None):
        form.refresh_dependent_choices(request.path)
        context = {
            **self.base_context(),
            "form": form,
            "object": obj,
            "conflict": conflict,
            "cancel_url": self.cancel_url(obj),
        }
        return render(request, self.template_name, context, status=status)

    def initial_values(self, request):
        """Values the empty form starts with: the query string's form fields (a « create from
        parent » link fills the parent this way)."""
        fields = self.object_type.get_form_fields()
        return {k: v for k, v in request.GET.items() if k in fields}

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj.pk else self.list_url()

    def success_url(self, saved):
        """Where a save leads when no `next` is given: the saved object's page."""
        return saved.get_absolute_url() or self.list_url()

    def form_saved(self, saved):
        """Called in the save's transaction once the object is saved: a page built on this
        one links what it was opened from (a campaign's unknown entry…)."""

    def get(self, request, pk=None):
        self.check_model_permission()
        obj = self.get_object(pk) if pk else self.object_type.model()
        ot = self.object_type
        lookups = registry.parent_lookups(ot)
        narrow = {k: v for k, v in request.GET.items() if k in lookups}
        form = ot.form(
            instance=obj, user=request.user, initial=self.initial_values(request), narrow=narrow
        )
        return self.render_form(request, form, obj)

    def post(self, request, pk=None):
        self.check_model_permission()
        ot = self.object_type
        obj, form = None, None
        try:
            # Lock, re-check the rights and save in one transaction; any failure rolls back.
            with transaction.atomic():
                obj = self.get_object(pk, lock=True) if pk else ot.model()
                form = ot.form(request.POST, request.FILES, instance=obj, user=request.user)
                if not form.is_valid():
                    raise InvalidFormError
                saved = save_object(
                    form.save(commit=False),
                    user=request.user,
                    expected_version=form.cleaned_data.get("version") if pk else None,
                    save_m2m=form.save_m2m,
                )
                # A scoped user may only create or move an object inside his own scope.
                if not restrict(
                    ot.model._default_manager.filter(pk=saved.pk), request.user, self.action
                ).exists():
                    raise PermissionDenied
                self.form_saved(saved)
        except InvalidFormError:
            return self.render_form(request, form, obj, status=422)
        except ConcurrentEditError as conflict:
            form.add_error(
                None,
                _(
                    "This record was changed by %(user)s while you were editing it. "
                    "Your changes have not been saved: compare with the current values below, "
                    "then reload the page to edit again."
                )
                % {"user": conflict.current.updated_by or _("another user")},
            )
            return self.render_form(request, form, obj, status=409, conflict=conflict)
        except ValidationError as error:
            add_model_errors(form, error)
            return self.render_form(request, form, obj, status=422)
        messages.success(
            request,
            _("%(type)s « %(object)s » saved.")
            % {"type": capfirst(str(ot.verbose_name)), "object": saved},
        )
        return HttpResponseRedirect(safe_next(request, self.success_url(saved)))


class ObjectDeleteView(ObjectTypeMixin, View):
    """Confirm, then delete; refused with the list of dependent records when others need it."""

    action = "delete"
    template_name = "core/generic/object_delete.html"

    def get(self, request, pk):
        obj = self.get_object(pk)
        context = {**self.base_context(), "object": obj, **dependent_objects(obj)}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        with transaction.atomic():
            obj = self.get_object(pk, lock=True)
            label = str(obj)
            try:
                delete_object(obj, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("« %(object)s » deleted.") % {"object": label})
        return HttpResponseRedirect(self.list_url())


class BulkActionMixin(ObjectTypeMixin):
    """Selected objects come as `pk` values; all must be within the user's rights."""

    def selected(self, request):
        pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit()]
        queryset = self.restricted_queryset().filter(pk__in=pks)
        if len(set(pks)) != queryset.count():
            raise PermissionDenied
        return pks, queryset


class BulkEditView(BulkActionMixin, View):
    """Set the same values on the selected objects, all or nothing."""

    action = "change"
    template_name = "core/generic/bulk_edit.html"

    def post(self, request):
        ot = self.object_type
        if not ot.allow_bulk_edit or not ot.bulk_edit_fields:
            raise PermissionDenied
        pks, queryset = self.selected(request)
        if not pks:
            messages.warning(request, _("Select at least one record."))
            return HttpResponseRedirect(safe_next(request, self.list_url()))
        if "apply" not in request.POST:
            form = BulkEditForm(ot, user=request.user)
            return render(
                request,
                self.template_name,
                {
                    **self.base_context(),
                    "form": form,
                    "pks": pks,
                    "objects": queryset[:50],
                    "count": len(pks),
                },
            )
        form = BulkEditForm(ot, request.POST, user=request.user)
        if form.is_valid() and form.changed_values():
            try:
                count = update_fields_in_bulk(queryset, form.changed_values(), user=request.user)
            except ValidationError as error:
                form.add_error(
                    None,
                    _("No record was changed: %(errors)s") % {"errors": " ".join(error.messages)},
                )
            else:
                messages.success(
                    request,
                    ngettext("%(count)d record updated.", "%(count)d records updated.", count)
                    % {"count": count},
                )
                return HttpResponseRedirect(self.list_url())
        elif form.is_valid():
            form.add_error(None, _("Fill in at least one field to change."))
        return render(
            request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "pks": pks,
                "objects": queryset[:50],
                "count": len(pks),
            },
            status=422,
        )


class BulkDeleteView(BulkActionMixin, View):
    """Delete the selected objects after confirmation, or none if one is protected."""

    action = "delete"
    template_name = "core/generic/bulk_delete.html"

    def post(self, request):
        if not self.object_type.allow_bulk_delete:
            raise PermissionDenied
        pks, queryset = self.selected(request)
        if not pks:
            messages.warning(request, _("Select at least one record."))
            return HttpResponseRedirect(self.list_url())
        if "confirm" not in request.POST:
            return render(
                request,
                self.template_name,
                {**self.base_context(), "pks": pks, "objects": queryset[:50], "count": len(pks)},
            )
        try:
            count = delete_in_bulk(queryset, user=request.user)
        except ValidationError as error:
            messages.error(
                request, _("Nothing was deleted. %(reason)s") % {"reason": " ".join(error.messages)}
            )
        else:
            messages.success(
                request,
                ngettext("%(count)d record deleted.", "%(count)d records deleted.", count)
                % {"count": count},
            )
        return HttpResponseRedirect(self.list_url())


class ColumnsView(ObjectTypeMixin, View):
    """Save the columns the user wants to see in a list."""

    def post(self, request):
        self.check_model_permission()
        columns = request.POST.getlist("columns") if "reset" not in request.POST else []
        preferences.save_columns(request.user, self.object_type, columns)
        return HttpResponseRedirect(safe_next(request, self.list_url()))


def object_type_urls(object_type):
    """The URL patterns of the generic views of one object type."""
    from django.urls import path

    slug, name = object_type.slug, object_type.model_name

    def view(cls):
        return cls.as_view(object_type=object_type)

    patterns = [
        path(f"{slug}/", view(ObjectListView), name=f"{name}_list"),
        path(f"{slug}/columns/", view(ColumnsView), name=f"{name}_columns"),
        path(f"{slug}/<int:pk>/", view(ObjectDetailView), name=f"{name}_detail"),
    ]
    if object_type.read_only:
        return patterns
    patterns += [
        path(f"{slug}/add/", view(ObjectEditView), name=f"{name}_add"),
        path(f"{slug}/bulk-edit/", view(BulkEditView), name=f"{name}_bulk_edit"),
        path(f"{slug}/bulk-delete/", view(BulkDeleteView), name=f"{name}_bulk_delete"),
        path(f"{slug}/<int:pk>/edit/", view(ObjectEditView), name=f"{name}_edit"),
        path(f"{slug}/<int:pk>/delete/", view(ObjectDeleteView), name=f"{name}_delete"),
    ]
    from dpti.core.imports.views import import_urls

    return patterns + import_urls(object_type)
