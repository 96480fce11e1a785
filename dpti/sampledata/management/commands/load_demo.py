"""Load the realistic demo data set and print the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dpti.core.roles import role_label
from dpti.sampledata.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_accounts_exist,
    has_domain_data,
    load_demo,
)


class Command(BaseCommand):
    """`manage.py load_demo [--if-empty] [--force]`."""

    # argparse needs plain strings: the help is translated when the command is loaded.
    help = str(
        gettext_lazy("Load the demo data and create one account per role (local mode only).")
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=str(gettext_lazy("Do nothing if the directory already holds records.")),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=str(
                gettext_lazy(
                    "Load even outside local mode (never in production: the passwords are public)."
                )
            ),
        )

    def handle(self, *args, if_empty=False, force=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not settings.DPTI["DEMO_MODE"] and not force:
                raise CommandError(
                    _(
                        "Demo data loads only in local mode (DPTI_ENV=local): demo accounts have "
                        "a public password and must never exist in production."
                    )
                )
            if if_empty and has_domain_data():
                self.stdout.write(_("The database already holds data: nothing loaded."))
                if demo_accounts_exist():
                    self.print_accounts()  # a reminder for `make run`
                return
            load_demo(stdout=self.stdout)
            self.print_accounts()

    def print_accounts(self):
        """A table of the demo accounts: username, role and what each one shows."""
        rows = [(_("Username"), _("Role"), _("What it can do"))]
        rows += [(a.username, str(role_label(a.role)), str(a.purpose)) for a in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo accounts (password: %(password)s)") % {"password": DEMO_PASSWORD}
            )
        )
        for index, (username, role, purpose) in enumerate(rows):
            line = f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {purpose}"
            self.stdout.write(self.style.MIGRATE_HEADING(line) if index == 0 else line)
        self.stdout.write("")
