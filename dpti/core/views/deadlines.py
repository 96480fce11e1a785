"""The register of deadlines (échéancier): page, exports, personal calendar feed."""

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.core import deadline_register as register
from dpti.core.deadline_notices import calendar_bytes
from dpti.core.display import format_plain
from dpti.core.exports import XLSX_MIME, xlsx_workbook
from dpti.core.registry import registry

PER_PAGE = 50


class DeadlineFilterForm(forms.Form):
    """The register's filters; invalid values fall back to the defaults with an error shown."""

    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    horizon = forms.ChoiceField(
        label=gettext_lazy("Horizon"),
        required=False,
        choices=list(register.HORIZONS.items()),
        initial=register.DEFAULT_HORIZON,
    )
    done = forms.BooleanField(label=gettext_lazy("Include done"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("All domains"))] + [
            (domain.slug, domain.label) for domain in registry.domains()
        ]
        self.fields["owner"].choices = [
            ("", _("Everyone")),
            (register.OWNER_ME, _("Me")),
            (register.OWNER_NONE, _("Nobody")),
        ] + [(str(user.pk), str(user)) for user in owners]

    def filters(self):
        """The keyword arguments of `filter_register`, defaults for what did not validate."""
        if self.is_bound:
            self.is_valid()  # errors are shown; the fields that validated still apply
        data = getattr(self, "cleaned_data", {})
        return {
            "domain": data.get("domain", ""),
            "owner": data.get("owner", ""),
            "horizon": data.get("horizon") or register.DEFAULT_HORIZON,
            "include_done": data.get("done", False),
        }


def export_rows(rows):
    """Header and value rows of the register, as exported."""
    yield [
        _("Due date"),
        _("Deadline"),
        _("Object type"),
        _("Domain"),
        _("Owner"),
        _("Done"),
        _("Days late"),
        _("Link"),
    ]
    for row in rows:
        yield [
            format_plain(row.due_date),
            row.title,
            row.type_label,
            str(row.domain_label),
            str(row.owner) if row.owner else "",
            format_plain(row.done),
            row.days_late,
            row.absolute_url,
        ]


def export_response(rows, fmt):
    """The register as a CSV (semicolons, UTF-8 with BOM) or XLSX download."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        xlsx_workbook(_("Deadlines"), export_rows(rows)).save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    else:
        output = io.StringIO()
        output.write("\ufeff")
        csv.writer(output, delimiter=";").writerows(export_rows(rows))
        response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="echeances-{stamp}.{fmt}"'
    return response


class DeadlineRegisterView(LoginRequiredMixin, View):
    """Every deadline the user may see, overdue first, with filters and his calendar link."""

    template_name = "core/deadlines/register.html"

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        visible = register.visible_deadlines(user)
        owners = get_user_model().objects.filter(
            pk__in=visible.exclude(owner=None).values("owner_id")
        )
        form = DeadlineFilterForm(request.GET or None, owners=owners.order_by("username"))
        filters = form.filters()
        queryset = register.overdue_first(
            register.filter_register(
                visible.select_related("owner"), user=user, today=today, **filters
            ),
            today,
        )
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return export_response(register.decorate(queryset, today), export)
        page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
        token = register.calendar_token(user)
        context = {
            "form": form,
            "page_obj": page,
            "rows": register.decorate(page.object_list, today),
            "today": today,
            "overdue_count": visible.filter(done=False, due_date__lt=today).count(),
            "token": token,
            "feed_url": register.feed_url(token) if token else "",
            "active_filters": bool(request.GET.keys() - {"page"}),
        }
        return render(request, self.template_name, context)


class CalendarTokenView(LoginRequiredMixin, View):
    """Create, regenerate (revoking the old address) or delete the user's calendar feed."""

    http_method_names = ["post"]

    def post(self, request):
        action = request.POST.get("action")
        if action == "revoke":
            register.revoke_calendar_token(request.user)
            messages.success(request, _("Your calendar address has been deleted."))
        elif action in ("create", "regenerate"):
            register.renew_calendar_token(request.user)
            messages.success(
                request,
                _("Your new calendar address is ready; the previous one no longer works.")
                if action == "regenerate"
                else _("Your calendar address is ready."),
            )
        else:
            messages.error(request, _("Unknown action."))
        return HttpResponseRedirect(reverse("deadlines") + "#calendar")


class CalendarFeedView(View):
    """The personal iCalendar feed: no sign-in, the secret in the address authenticates."""

    http_method_names = ["get", "head"]

    def get(self, request, secret):
        user = register.user_for_feed(secret)
        if user is None:
            raise Http404
        response = HttpResponse(calendar_bytes(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="echeances.ics"'
        response["Cache-Control"] = "private, no-cache"
        return response
