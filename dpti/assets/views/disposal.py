"""Pages of the assets module: the disposal (réforme) of an asset, proposed or decided."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dpti.assets.models import Asset, Disposal
from dpti.assets.views.labels import message_page
from dpti.core.display import format_xpf
from dpti.core.forms import formfield_for, name_empty_choices
from dpti.core.permissions import has_model_permission, restrict
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.core.views.generic import InvalidFormError, add_model_errors


class DisposalForm(forms.ModelForm):
    """A disposal of one asset; decided when its decision is given, else proposed."""

    class Meta:
        model = Disposal
        fields = (
            "reason",
            "decision_reference",
            "decision_date",
            "sale_price",
            "beneficiary",
            "notes",
        )
        formfield_callback = formfield_for
        help_texts = {
            "decision_reference": gettext_lazy(
                "With the decision date, records the disposal as decided: the asset leaves the "
                "active register. Leave both empty to record a proposal, decided later."
            ),
            "decision_date": gettext_lazy("The date of the decision (deliberation, order)."),
            "sale_price": gettext_lazy("Only for a sale, in XPF."),
            "beneficiary": gettext_lazy("The buyer of a sale, the beneficiary of a donation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sale_price"].required = False
        name_empty_choices(self.fields.values(), _("— Choose —"))
        if not self.is_bound:
            self.initial["sale_price"] = None  # empty rather than 0: most disposals are no sale

    def clean_sale_price(self):
        # An empty price is no price: 0 XPF, which every reason accepts.
        return self.cleaned_data.get("sale_price") or 0

    def clean(self):
        cleaned = super().clean()
        # Either part of the decision means the user records a decision: the model then
        # names the missing part instead of silently keeping a proposal.
        decided = cleaned.get("decision_reference") or cleaned.get("decision_date")
        self.instance.state = Disposal.State.DECIDED if decided else Disposal.State.PROPOSED
        return cleaned


def disposal_refusal(asset):
    """Why the asset cannot be disposed of again, or None: (message, link, its label, icon)."""
    existing = Disposal.objects.filter(asset=asset).first()
    if existing is not None:
        return (
            _(
                "A disposal of « %(asset)s » is already recorded (%(state)s): "
                "open it to complete or decide it."
            )
            % {"asset": asset, "state": existing.get_state_display().lower()},
            registry.url_of(existing),
            _("Open the disposal"),
            "ti ti-recycle",
        )
    if asset.status == Asset.Status.DISPOSED:
        return (
            _("« %(asset)s » is already disposed of.") % {"asset": asset},
            registry.url_of(asset),
            _("Back to the asset"),
            "ti ti-arrow-left",
        )
    return None


class AssetDisposeView(LoginRequiredMixin, View):
    """Record the disposal of one asset; a decided one takes it out of the active register."""

    template_name = "assets/dispose.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_model_permission(
            request.user, Disposal, "add"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_asset(self, pk, lock=False):
        queryset = restrict(Asset.objects.select_related("category"), self.request.user, "view")
        if lock:
            # Two people disposing of the same asset at once: the second one waits, then sees
            # the first one's disposal.
            queryset = queryset.select_for_update(of=("self",))
        try:
            return queryset.get(pk=pk)
        except Asset.DoesNotExist as exc:
            raise Http404 from exc

    def render_form(self, asset, form, status=200):
        summary = [
            (Asset._meta.get_field("category").verbose_name, asset.category),
            (Asset._meta.get_field("acquisition_date").verbose_name, asset.acquisition_date),
            (Asset._meta.get_field("value").verbose_name, format_xpf(asset.value)),
            (Asset._meta.get_field("status").verbose_name, asset.get_status_display()),
        ]
        context = {
            "asset": asset,
            "asset_url": registry.url_of(asset),
            "summary": summary,
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)

    def render_refusal(self, refusal, status):
        message, url, label, icon = refusal
        return message_page(
            self.request,
            _("Dispose of an asset"),
            message,
            status,
            back_url=url,
            back_label=label,
            icon=icon,
        )

    def get(self, request, pk):
        asset = self.get_asset(pk)
        refusal = disposal_refusal(asset)
        if refusal:
            return self.render_refusal(refusal, status=409)
        return self.render_form(asset, DisposalForm(instance=Disposal(asset=asset)))

    def post(self, request, pk):
        try:
            with transaction.atomic():
                asset = self.get_asset(pk, lock=True)
                refusal = disposal_refusal(asset)
                if refusal:
                    return self.render_refusal(refusal, status=409)
                form = DisposalForm(request.POST, instance=Disposal(asset=asset))
                if not form.is_valid():
                    raise InvalidFormError
                disposal = save_object(form.save(commit=False), user=request.user)
        except InvalidFormError:
            return self.render_form(asset, form, status=422)
        except ValidationError as error:
            add_model_errors(form, error)
            return self.render_form(asset, form, status=422)
        if disposal.state == Disposal.State.DECIDED:
            text = _("Disposal of « %(asset)s » decided: the asset has left the active register.")
        else:
            text = _(
                "Disposal of « %(asset)s » proposed: the asset stays in the register until "
                "the decision is recorded."
            )
        messages.success(request, text % {"asset": asset})
        return HttpResponseRedirect(registry.url_of(asset))


urlpatterns = [path("assets/<int:pk>/dispose/", AssetDisposeView.as_view(), name="asset_dispose")]
