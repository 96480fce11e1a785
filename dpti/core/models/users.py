"""User accounts and their saved preferences."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpti.core.models.base import RegistryUrlMixin


class User(RegistryUrlMixin, AbstractUser):
    """An account that can sign in. The person it belongs to lives in the directory."""

    # Groups are DPTI's roles: name them so wherever accounts are shown or edited.
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("roles"),
        blank=True,
        help_text=_("The roles give the account its permissions (see Roles and permissions)."),
        related_name="user_set",
        related_query_name="user",
    )
    # Empty: the institution's language (settings.LANGUAGE_CODE, French). The browser's
    # language is never asked: an English browser still gets French pages.
    language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Chosen by each person in his preferences; French when empty."),
    )

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        # Accounts created from the screens or an import have no password yet: until an
        # administrator sets one (or LDAP authenticates them) they cannot sign in.
        if not self.password:
            self.set_unusable_password()

    @property
    def interface_language(self):
        """The language the pages speak to this person: his choice, else the institution's."""
        known = {code for code, _name in settings.LANGUAGES}
        return self.language if self.language in known else settings.LANGUAGE_CODE

    @property
    def role_names(self):
        """The names of the roles (groups) the account holds, cached on the instance."""
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names


class UserPreference(models.Model):
    """A per-user setting stored as JSON, such as the columns chosen for a list."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=150)
    value = models.JSONField(_("value"), default=dict)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")
        ordering = ["user", "key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_userpreference_unique_key")
        ]

    def __str__(self):
        return f"{self.user} · {self.key}"
