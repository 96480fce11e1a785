"""Rebuild the register of deadlines from what every object type declares.

Run it after changing a type's deadline rules, or after data was loaded without going through
the services (raw SQL, fixtures): each object's rows are brought in step, rows of deleted
objects or of types that no longer declare deadlines are removed.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from dpti.core.deadline_register import refresh_all_deadlines


class Command(BaseCommand):
    """manage.py refresh_deadlines"""

    help = "Rebuild every deadline row from the registry's declarations."

    def handle(self, *args, **options):
        # Titles are stored text: write them in the site's language, whoever runs the command.
        with translation.override(settings.LANGUAGE_CODE):
            result = refresh_all_deadlines()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.objects} object(s) checked; deadlines: {result.before} before, "
                f"{result.after} after ({result.removed_orphans} orphan row(s) removed)."
            )
        )
