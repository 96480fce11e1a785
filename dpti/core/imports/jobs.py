"""Running an import job: inline for small files, in a background thread for large ones.

The job row records the status, the counts and the report. While a job runs, its progress
goes to the cache rather than the database: a commit writes inside one long transaction,
whose rows no other connection can see until the end.
"""

import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import close_old_connections, connections
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dpti.core.imports.engine import ERROR, ImportRun
from dpti.core.imports.reader import ImportFileError, extension_of, read_sheet
from dpti.core.models import ImportJob
from dpti.core.registry import registry

logger = logging.getLogger(__name__)

VALIDATE, COMMIT = "validate", "commit"
RUNNING = (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.COMMITTING)
PROGRESS_SECONDS = 3600
BYTES_PER_ROW_GUESS = 50


def progress_key(job_id):
    """The cache key of a job's progress."""
    return f"dpti:import:{job_id}:progress"


def read_progress(job):
    """{"phase", "done", "total", "percent"} of a running job ({} when unknown)."""
    return cache.get(progress_key(job.pk)) or {}


class ProgressRecorder:
    """Writes a job's progress to the cache about once a percent (and at most 4 times/s)."""

    def __init__(self, job_id, phase):
        self.key, self.phase = progress_key(job_id), phase
        self.last_percent, self.last_time = -1, 0.0
        cache.set(
            self.key, {"phase": phase, "done": 0, "total": None, "percent": 0}, PROGRESS_SECONDS
        )

    def __call__(self, done, total):
        percent = min(int(done * 100 / total), 99) if total else 0
        now = time.monotonic()
        if percent == self.last_percent or now - self.last_time < 0.25:
            return
        self.last_percent, self.last_time = percent, now
        cache.set(
            self.key,
            {"phase": self.phase, "done": done, "total": total, "percent": percent},
            PROGRESS_SECONDS,
        )


def create_job(object_type, user, name, content):
    """Store an uploaded file as a new job (under a random name) and return the job."""
    job = ImportJob(
        object_type=object_type.label,
        original_name=name[:255],
        created_by=user,
        report={"language": get_language() or settings.LANGUAGE_CODE},
    )
    job.file.save(f"{uuid.uuid4().hex}.{extension_of(name)}", ContentFile(content), save=False)
    job.save()
    return job


def execute(job, action, progress=None):
    """Validate (dry run) or commit a job now, in this thread; return the ImportRun (or None)."""
    object_type = registry.get(job.object_type)
    language = job.report.get("language") or settings.LANGUAGE_CODE
    run = None
    with translation.override(language):
        progress = progress or ProgressRecorder(job.pk, action)
        try:
            with job.file.open("rb") as stored:
                content = stored.read()
            sheet = read_sheet(job.original_name, content)
            try:
                run = ImportRun(
                    object_type,
                    sheet,
                    job.created_by,
                    progress=progress,
                    mapping=job.report.get("mapping"),
                )
                report = run.commit() if action == COMMIT else run.dry_run()
            finally:
                sheet.close()
        except ImportFileError as problem:
            run = None
            report = {"file_errors": problem.messages, "counts": {}, "rows": []}
    _record(job, action, report, language)
    cache.delete(progress_key(job.pk))
    return run


def _record(job, action, report, language):
    """Save the outcome of a pass on the job row."""
    counts = report.get("counts", {})
    failed = bool(report["file_errors"] or counts.get(ERROR))
    if action == COMMIT:
        status = ImportJob.Status.DONE if report.get("committed") else ImportJob.Status.INVALID
    else:
        status = ImportJob.Status.INVALID if failed else ImportJob.Status.VALIDATED
    # The confirmed column mapping stays with the job: the commit reads the file the same way.
    report.update(
        language=language,
        phase=action,
        **{key: job.report[key] for key in ("mapping", "mapping_name") if key in job.report},
    )
    job.status = status
    job.report = report
    job.total_rows = report.get("total_rows", 0)
    job.error_count = counts.get(ERROR, 0)
    committed = action == COMMIT and report.get("committed")
    job.created_count = counts.get("create", 0) if committed else 0
    job.updated_count = counts.get("update", 0) if committed else 0
    job.finished_at = timezone.now() if status != ImportJob.Status.VALIDATED else None
    job.save()


def execute_safely(job, action):
    """`execute`, recording an unexpected crash as a failed job instead of losing it."""
    try:
        return execute(job, action)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        cache.delete(progress_key(job.pk))
        with translation.override(job.report.get("language") or settings.LANGUAGE_CODE):
            message = _("The import stopped on an unexpected error; nothing has been saved.")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            report={**job.report, "file_errors": [message], "counts": {}, "rows": []},
        )
        return None


def _run_in_background(job_id, action):
    """Thread body: run the job with its own database connection, then release it."""
    close_old_connections()
    try:
        execute_safely(ImportJob.objects.select_related("created_by").get(pk=job_id), action)
    finally:
        connections.close_all()


def start(job, action, estimated_rows):
    """Run a job inline, or in a daemon thread when the file is large."""
    status = ImportJob.Status.COMMITTING if action == COMMIT else ImportJob.Status.VALIDATING
    job.status = status
    job.save(update_fields=["status"])
    if estimated_rows is None:
        # Some spreadsheets do not say how many rows they hold: judge by the file's size.
        estimated_rows = job.file.size // BYTES_PER_ROW_GUESS
    if estimated_rows > settings.DPTI["IMPORT_BACKGROUND_ROWS"]:
        thread = threading.Thread(
            target=_run_in_background, args=(job.pk, action), daemon=True, name=f"import-{job.pk}"
        )
        thread.start()
        return False
    execute_safely(job, action)
    return True


def claim_commit(job):
    """Move a validated job to "importing"; False when another request already did."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
        status=ImportJob.Status.COMMITTING
    )
    if claimed:
        job.status = ImportJob.Status.COMMITTING
    return bool(claimed)
