"""Pages of the assets module: label sheets to print, and the address their QR codes open."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.assets.labels import (
    DEFAULT_FORMAT,
    FORMATS,
    build_sheets,
    max_label_count,
    render_labels_pdf,
)
from dpti.assets.models import Asset
from dpti.core.display import NARROW_NBSP
from dpti.core.pdf import PDF_MIME
from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry

# Parameters of the label page itself; every other one describes the selection.
OPTION_NAMES = ("format", "start", "outline")
# Parameters of the list page that choose no rows.
LIST_DISPLAY_NAMES = ("page", "sort", "per_page", "export")
PREVIEW_ROWS = 8


class LabelOptionsForm(forms.Form):
    """The sheet, the first free place and the outlines of a label print."""

    format = forms.ChoiceField(
        label=gettext_lazy("Label sheet"),
        choices=[(key, fmt.name) for key, fmt in FORMATS.items()],
        initial=DEFAULT_FORMAT,
        widget=forms.RadioSelect,
    )
    start = forms.IntegerField(
        label=gettext_lazy("Start at place"),
        min_value=1,
        initial=1,
        required=False,
        help_text=gettext_lazy(
            "To reuse a partly used sheet: the first free place, counted row by row from the "
            "top left corner. The places before it stay blank."
        ),
    )
    outline = forms.BooleanField(
        label=gettext_lazy("Print the outline of each label"),
        required=False,
        help_text=gettext_lazy("To check the alignment on plain paper before using a sheet."),
    )

    def clean_start(self):
        # Left empty, the print starts on the first place of the sheet.
        return self.cleaned_data.get("start") or 1

    def clean(self):
        cleaned = super().clean()
        label_format = FORMATS.get(cleaned.get("format"))
        start = cleaned.get("start")
        if label_format and start and start > label_format.per_sheet:
            self.add_error(
                "start",
                _("This sheet has %(count)d places: choose a place from 1 to %(count)d.")
                % {"count": label_format.per_sheet},
            )
        return cleaned


def selected_assets(request):
    """The assets the query string selects (list filters or `pk`), among those the user sees.

    Returns (queryset, filterset); the filterset reports filter values it could not read.
    """
    queryset = restrict(Asset.objects.all(), request.user, "view")
    pks = request.GET.getlist("pk")
    if pks:
        queryset = queryset.filter(pk__in=[int(pk) for pk in pks if pk.isdigit()])
    filterset = registry.get(Asset).filterset(request.GET, queryset=queryset, request=request)
    return filterset.qs.order_by("inventory_number"), filterset


def selection_params(request):
    """The (name, value) pairs of the query string that describe the selection."""
    return [
        (name, value)
        for name, values in request.GET.lists()
        if name not in OPTION_NAMES and name not in LIST_DISPLAY_NAMES
        for value in values
    ]


def message_page(
    request, title, message, status=200, back_url=None, back_label=None, icon="ti ti-arrow-left"
):
    """A page that explains why nothing was done, with the way on (back, by default)."""
    return render(
        request,
        "assets/message.html",
        {
            "title": title,
            "message": message,
            "back_url": back_url or reverse("assets:asset_list"),
            "back_label": back_label or _("Back to the assets"),
            "back_icon": icon,
        },
        status=status,
    )


class LabelsView(LoginRequiredMixin, View):
    """Print the labels of a selection: first the options page, then the PDF sheets."""

    def get(self, request):
        if not has_model_permission(request.user, Asset, "view"):
            raise PermissionDenied
        queryset, filterset = selected_assets(request)
        back_url = self.back_url(request, queryset)
        if filterset.errors:
            names = ", ".join(
                str(filterset.filters[name].label or name) for name in filterset.errors
            )
            return message_page(
                request,
                _("Labels"),
                _("A filter of the selection is not valid (%(filters)s): correct it in the list.")
                % {"filters": names},
                status=400,
                back_url=back_url,
            )
        count = queryset.count()
        if count == 0:
            return message_page(
                request,
                _("Labels"),
                _("No asset is selected: filter the list, then print its labels."),
                back_url=back_url,
            )
        if count > max_label_count():
            return message_page(
                request,
                _("Labels"),
                _(
                    "%(count)s labels are selected: at most %(max)s can be printed at once. "
                    "Narrow the list (by building, room or category) and print it in parts."
                )
                % {"count": _grouped(count), "max": _grouped(max_label_count())},
                status=400,
                back_url=back_url,
            )
        form = LabelOptionsForm(request.GET if "format" in request.GET else None)
        # A bound form is a request for the PDF; an unbound one shows the options page.
        if form.is_bound and form.is_valid():
            label_format = FORMATS[form.cleaned_data["format"]]
            sheets = build_sheets(queryset, label_format, start=form.cleaned_data["start"])
            pdf = render_labels_pdf(sheets, label_format, form.cleaned_data["outline"], request)
            response = HttpResponse(pdf, content_type=PDF_MIME)
            filename = f"etiquettes-{timezone.localdate():%Y-%m-%d}.pdf"
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            return response
        return render(
            request,
            "assets/labels_form.html",
            {
                "form": form,
                "count": count,
                "preview": queryset[:PREVIEW_ROWS],
                "more": max(count - PREVIEW_ROWS, 0),
                "selection": selection_params(request),
                "back_url": back_url,
            },
            status=422 if form.is_bound else 200,
        )

    @staticmethod
    def back_url(request, queryset):
        """Where Cancel leads: the asset of a one-asset print, else the list as filtered."""
        list_params = [(n, v) for n, v in selection_params(request) if n != "pk"]
        if not list_params and len(request.GET.getlist("pk")) == 1:
            asset = queryset.first()
            if asset is not None:
                return registry.url_of(asset)
        back_url = reverse("assets:asset_list")
        return f"{back_url}?{urlencode(list_params)}" if list_params else back_url


def _grouped(number):
    """1234 → '1 234', as French writes counts."""
    return f"{number:,}".replace(",", NARROW_NBSP)


class AssetScanView(LoginRequiredMixin, View):
    """The address of a label's QR code: opens the asset's page, for those who may see it."""

    def get(self, request, number):
        asset = (
            restrict(Asset.objects.all(), request.user, "view")
            .filter(inventory_number=number)
            .first()
        )
        if asset is None:
            return message_page(
                request,
                _("Asset not found"),
                _("No asset with inventory number « %(number)s » is visible to you.")
                % {"number": number},
                status=404,
            )
        return HttpResponseRedirect(registry.url_of(asset))


urlpatterns = [
    path("labels/", LabelsView.as_view(), name="labels"),
    path("scan/<str:number>/", AssetScanView.as_view(), name="asset_scan"),
]
