"""The signed-in person's preferences: the language of the interface."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from dpti.core.views.generic import safe_next


class PreferencesForm(forms.Form):
    """What a person sets for himself."""

    language = forms.ChoiceField(
        label=gettext_lazy("Interface language"),
        # Each language in its own words: someone lost in French still finds "English".
        choices=[
            (code, get_language_info(code)["name_local"].capitalize())
            for code, _n in settings.LANGUAGES
        ],
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The pages are in French unless you choose English here; the language of your "
            "browser is not taken into account. Dates stay dd/mm/yyyy."
        ),
    )


class PreferencesView(LoginRequiredMixin, FormView):
    """Show and save the person's preferences (the user menu's language buttons post here)."""

    template_name = "core/preferences.html"
    form_class = PreferencesForm

    def get_initial(self):
        return {"language": self.request.user.interface_language}

    def form_valid(self, form):
        user = self.request.user
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        # The confirmation and the next page already speak the chosen language.
        translation.activate(user.language)
        messages.success(self.request, _("Your preferences have been saved."))
        return HttpResponseRedirect(safe_next(self.request, reverse("preferences")))
