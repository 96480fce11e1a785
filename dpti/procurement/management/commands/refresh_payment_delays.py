"""Recompute each night the days late and the interest of the invoices not paid yet.

An unpaid invoice grows one day later every day without anyone saving it: this command brings
its stored figures (days late, interest, indemnity, due date under an open suspension) and its
« payment due » deadline in step. Cron line (Nouméa time), e.g.:

    15 2 * * *  cd /srv/dpti && .venv/bin/python manage.py refresh_payment_delays
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dpti.procurement.payments import refresh_unpaid


class Command(BaseCommand):
    """manage.py refresh_payment_delays [--date YYYY-MM-DD]"""

    help = "Recompute the days late and late-payment interest of the unpaid invoices."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Compute as on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            today = None
            if options.get("date"):
                try:
                    today = datetime.date.fromisoformat(options["date"])
                except ValueError as error:
                    raise CommandError(
                        _("Give the date as YYYY-MM-DD (e.g. 2026-04-15).")
                    ) from error
            changed = refresh_unpaid(today=today)
            if changed:
                message = ngettext(
                    "%(count)s unpaid invoice updated.",
                    "%(count)s unpaid invoices updated.",
                    changed,
                ) % {"count": changed}
            else:
                message = _("No unpaid invoice changed.")
        self.stdout.write(message)
