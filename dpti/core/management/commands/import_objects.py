"""Import a CSV or XLSX file into an object type from the command line.

Same engine and rules as the import screen. Without --commit the file is only checked;
with --commit every row is saved in one transaction, or none if a single row fails. The
exit status is non-zero when the file or a row has an error.

    manage.py import_objects directory.person personnes.xlsx --user jdupont --commit

A file with its own headers is read with a column mapping the user saved on the import
screen: the one named by --mapping, or else one that knows every header of the file.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dpti.core.imports import jobs, matching
from dpti.core.imports.engine import ERROR
from dpti.core.imports.reader import ImportFileError, read_sheet
from dpti.core.models import ImportMapping
from dpti.core.permissions import has_model_permission
from dpti.core.registry import registry


class StderrProgress:
    """Prints the progress of a pass on stderr every 2 % (every 1,000 rows if unknown)."""

    def __init__(self, stream, phase):
        self.stream, self.phase, self.last = stream, phase, -1

    def __call__(self, done, total):
        if total:
            step = min(done * 100 // total, 100) // 2
            if step > self.last:
                self.last = step
                self.stream.write(f"{self.phase}: {step * 2}% ({done}/{total})")
        elif done % 1000 == 0:
            self.stream.write(f"{self.phase}: {done}")


class Command(BaseCommand):
    """manage.py import_objects <app_label.model_name> <file> [--commit] [--user USERNAME]"""

    help = "Check (dry run) or import (--commit) a CSV/XLSX file into an object type."

    def add_arguments(self, parser):
        parser.add_argument("object_type", help="app_label.model_name, e.g. directory.person")
        parser.add_argument("file", help="path of a .csv or .xlsx file")
        parser.add_argument("--commit", action="store_true", help="save the rows (all or none)")
        parser.add_argument(
            "--user",
            help="username whose rights apply and who is the author (default: a superuser)",
        )
        parser.add_argument(
            "--mapping",
            help="name of a column mapping the user saved on the import screen (by default, "
            "one of his that knows every header of the file is applied)",
        )

    def get_user(self, username):
        users = get_user_model()._default_manager.filter(is_active=True)
        if username:
            try:
                return users.get(username=username)
            except users.model.DoesNotExist:
                raise CommandError(
                    _("No active user named “%(name)s”.") % {"name": username}
                ) from None
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Give --user: there is no active superuser to import as."))
        return user

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self.run(options)

    def run(self, options):
        try:
            object_type = registry.get(options["object_type"].lower())
        except LookupError:
            raise CommandError(
                _("Unknown object type “%(label)s”.") % {"label": options["object_type"]}
            ) from None
        user = self.get_user(options["user"])
        if not object_type.allow_import or not has_model_permission(user, object_type.model, "add"):
            raise CommandError(
                _("%(user)s may not import %(types)s.")
                % {"user": user, "types": object_type.verbose_name_plural}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        content = path.read_bytes()
        try:
            sheet = read_sheet(path.name, content)
            sheet.close()
        except ImportFileError as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        mapping = self.saved_mapping(object_type, user, sheet.header, options["mapping"])
        action = jobs.COMMIT if options["commit"] else jobs.VALIDATE
        job = jobs.create_job(object_type, user, path.name, content)
        if mapping is not None:
            choices = matching.as_choices(
                matching.propose_mapping(object_type, sheet.header, mapping.columns)
            )
            job.report = {**job.report, "mapping": choices, "mapping_name": mapping.name}
        job.status = job.Status.COMMITTING if options["commit"] else job.Status.VALIDATING
        job.save(update_fields=["status", "report"])
        phase = _("importing") if options["commit"] else _("checking")
        run = jobs.execute(job, action, progress=StderrProgress(self.stderr, phase))
        return self.conclude(job, run, options["commit"])

    def saved_mapping(self, object_type, user, header, name):
        """The user's saved column mapping named `name`, or the one that knows the file."""
        mappings = ImportMapping.objects.filter(owner=user, object_type=object_type.label)
        if name:
            try:
                return mappings.get(name=name)
            except ImportMapping.DoesNotExist:
                raise CommandError(
                    _("%(user)s has no column mapping named “%(name)s” for %(types)s.")
                    % {"user": user, "name": name, "types": object_type.verbose_name_plural}
                ) from None
        return matching.saved_mapping_for(list(mappings), header)

    def conclude(self, job, run, commit):
        report = job.report
        if report.get("file_errors"):
            raise CommandError(" ".join(report["file_errors"]))
        for row in run.results if run else ():
            for error in row.errors if row.action == ERROR else ():
                self.stderr.write(_("Row %(row)d: %(error)s") % {"row": row.number, "error": error})
        counts = report["counts"]
        if counts.get(ERROR):
            raise CommandError(
                ngettext(
                    "%(count)d row with errors; nothing was saved.",
                    "%(count)d rows with errors; nothing was saved.",
                    counts[ERROR],
                )
                % {"count": counts[ERROR]},
                returncode=1,
            )
        values = {
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
        }
        if commit:
            message = _(
                "Import done: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            )
        else:
            message = _(
                "No error: %(created)d to create, %(updated)d to update, %(unchanged)d unchanged. "
                "Nothing was saved; run again with --commit to import."
            )
        self.stdout.write(self.style.SUCCESS(message % values))
