"""Several API clients writing at once to one SQLite file, as several users of the embedded
default do (run in its own process by `test_sqlite_concurrency`).

Usage: DATABASE_URL=sqlite:////path/db.sqlite3 python -m tests.core.sqlite_writers THREADS WRITES
Prints a JSON summary: the journal mode, the answers by status, the errors met, the rows saved.
With `--plain`, the connection options of the settings are left out (to see the failure
they prevent).
"""

import json
import os
import sys
import threading
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpti.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def main(threads, writes, plain=False):
    """Run `threads` API clients, each creating `writes` companies, all started together."""
    if plain:
        settings.DATABASES["default"]["OPTIONS"] = {"timeout": 5}
    setup_test_environment()
    from rest_framework.authtoken.models import Token

    from dpti.core.models import User
    from dpti.directory.models import Company

    user = User.objects.create(username="api-writer", is_superuser=True, is_staff=True)
    key = Token.objects.create(user=user).key
    url = reverse("api:directory-company-list")
    barrier = threading.Barrier(threads)
    answers, errors = Counter(), []
    lock = threading.Lock()

    def client_work(index):
        client = Client(raise_request_exception=False)
        barrier.wait()
        try:
            for number in range(writes):
                response = client.post(
                    url,
                    json.dumps(
                        {"name": f"Entreprise {index}-{number}", "ridet": ridet(index, number)}
                    ),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {key}",
                )
                # A read between the writes, as a client listing what it just wrote.
                listing = client.get(url, {"limit": 5}, HTTP_AUTHORIZATION=f"Token {key}")
                with lock:
                    answers[response.status_code] += 1
                    answers[f"list {listing.status_code}"] += 1
                    if response.status_code != 201:
                        errors.append(response.content.decode()[:300])
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=client_work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    summary = {
        "journal_mode": journal_mode,
        "answers": dict(answers),
        "errors": errors[:5],
        "error_count": len(errors),
        "companies": Company.objects.count(),
    }
    sys.stdout.write(json.dumps(summary) + "\n")


def ridet(index, number):
    """A distinct, well-formed RIDET number for each write."""
    return f"{index * 1000 + number + 1:07d}.001"


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), plain="--plain" in sys.argv)
