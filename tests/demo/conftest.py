"""The demo, loaded once per run for every test that reads it: the tests of this package.

`load_demo --if-empty` fills the empty test database as `make run` does, once, in a transaction
rolled back after the package's last test; each test runs in a savepoint of it, so that what
a test changes is undone before the next one. The package's tests form one xdist group
(tests/conftest.py), so that one worker loads the demo for them all. A new module's demo tests
go here, as `test_<app>.py`, using this fixture instead of loading the demo again.
"""

import io
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@dataclass
class LoadedDemo:
    """What loading the demo printed, and how long it took: whole and per app."""

    output: str
    seconds: float
    seconds_by_app: dict = field(default_factory=dict)


@pytest.fixture(scope="package", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded by `load_demo --if-empty` in local mode, timed, then undone."""
    from django.conf import settings

    from dpti.sampledata.demo import app_demo_modules

    timings = {}

    def timed(module):
        """The app's `load`, recording its duration under the app's label."""
        original = module.load

        def load(*, stdout):
            started = time.monotonic()
            original(stdout=stdout)
            timings[module.__name__.split(".")[-2]] = time.monotonic() - started

        return load

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        with ExitStack() as stack:
            stack.enter_context(override_settings(DPTI={**settings.DPTI, "DEMO_MODE": True}))
            for module in app_demo_modules():
                stack.enter_context(mock.patch.object(module, "load", timed(module)))
            started = time.monotonic()
            call_command("load_demo", "--if-empty", stdout=out)
            seconds = time.monotonic() - started
        yield LoadedDemo(out.getvalue(), seconds, timings)
        transaction.set_rollback(True)
