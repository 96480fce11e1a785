"""Load the realistic demo data set and print the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dpti.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from dpti.core.roles import role_label


class Command(BaseCommand):
    """`manage.py load_demo [--if-empty] [--force]`."""

    help = "Charge les données de démonstration et crée un compte par rôle."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Ne rien faire si des données existent déjà."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger même hors du mode local (déconseillé : mots de passe publics).",
        )

    def handle(self, *args, if_empty=False, force=False, **options):
        if not settings.DPTI["DEMO_MODE"] and not force:
            raise CommandError(
                "Les données de démonstration ne se chargent qu'en mode local (DPTI_ENV=local) : "
                "leurs comptes ont un mot de passe public."
            )
        from dpti.core.models import User

        with translation.override(settings.LANGUAGE_CODE):
            if if_empty and User.objects.filter(username=DEMO_ACCOUNTS[0].username).exists():
                self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
            else:
                load_demo(stdout=self.stdout)
            self.print_accounts()

    def print_accounts(self):
        width = max(len(a.username) for a in DEMO_ACCOUNTS)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.username.ljust(width)}  {str(role_label(account.role)).ljust(32)}"
                f"{account.purpose}"
            )
        self.stdout.write("")
