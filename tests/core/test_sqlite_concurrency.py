"""The embedded SQLite database survives several users writing at once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite only: PostgreSQL has no database-wide write lock",
)


def run(args, database):
    """A manage.py-like run of the project in its own process, on the given SQLite file."""
    env = {**os.environ, "DPTI_ENV": "test", "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_simultaneous_api_clients_never_meet_a_locked_database(tmp_path):
    """Six API clients creating companies at the same moment on a SQLite file: every write
    is saved (201), none answers « database is locked »; the file is in WAL mode, so readers
    go on while one writes. Without the connection options, most of these writes fail."""
    database = tmp_path / "dpti.sqlite3"
    run(["manage.py", "migrate", "--verbosity", "0"], database)
    output = run(["-m", "tests.core.sqlite_writers", "6", "8"], database)
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary["errors"] == []
    assert summary["answers"] == {"201": 48, "list 200": 48}
    assert summary["companies"] == 48
    assert summary["journal_mode"] == "wal"
