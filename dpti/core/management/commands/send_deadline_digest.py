"""Send each owner one e-mail listing his overdue and upcoming deadlines.

Meant to run once a day. Example with systemd (adapt the paths and the user):

    # /etc/systemd/system/dpti-deadline-digest.service
    [Unit]
    Description=DPTI: daily e-mail digest of deadlines

    [Service]
    Type=oneshot
    User=dpti
    WorkingDirectory=/opt/dpti
    EnvironmentFile=/etc/dpti/env
    ExecStart=/opt/dpti/.venv/bin/python manage.py send_deadline_digest --days 30

    # /etc/systemd/system/dpti-deadline-digest.timer
    [Unit]
    Description=DPTI: deadline digest every working-day morning

    [Timer]
    OnCalendar=Mon..Fri 06:30 Pacific/Noumea
    Persistent=true

    [Install]
    WantedBy=timers.target

then `systemctl enable --now dpti-deadline-digest.timer`.
"""

from django.core.management.base import BaseCommand, CommandError

from dpti.core.deadline_notices import send_deadline_digests


class Command(BaseCommand):
    """manage.py send_deadline_digest [--days 30] [--dry-run]"""

    help = "E-mail each owner his overdue deadlines and those due within --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Horizon in days (default 30).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would receive what, send nothing.",
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        result = send_deadline_digests(days=days, dry_run=dry_run)
        for message in result.messages:
            self.stdout.write(f"{message.user.email}: {len(message.deadlines)} deadline(s)")
            if dry_run and options["verbosity"] > 1:
                for deadline in message.deadlines:
                    self.stdout.write(f"  {deadline.due_date:%d/%m/%Y} {deadline.title}")
        if dry_run:
            self.stdout.write(f"Dry run: {len(result.messages)} e-mail(s) prepared, none sent.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{result.sent} e-mail(s) sent, {result.failed} failed.")
            )
        if result.failed:
            raise CommandError(f"{result.failed} digest(s) could not be sent.")
