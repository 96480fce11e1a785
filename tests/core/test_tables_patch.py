"""The django-tables2 patch (remembered signatures) applies only to the release it was written
for: another one stops the start-up with a clear error instead of being patched blind."""

import os
import re
import subprocess
import sys
from pathlib import Path

import django_tables2.utils
import pytest
from django.core.exceptions import ImproperlyConfigured

from dpti.core import tables

ROOT = Path(__file__).resolve().parents[2]

START_UP = """
import importlib.metadata
import django

real = importlib.metadata.version
importlib.metadata.version = lambda name: {version!r} if name == "django-tables2" else real(name)
django.setup()
import django_tables2.utils
from dpti.core.tables import cached_signature
print("patched" if django_tables2.utils.signature is cached_signature else "not patched")
"""


def start_django(version):
    """Start Django in a new process as if django-tables2 `version` were installed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dpti.test_settings"}
    return subprocess.run(
        [sys.executable, "-c", START_UP.format(version=version)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_patch_is_applied_to_the_release_it_was_written_for():
    """The installed django-tables2 is the patch's release, and its signature is replaced."""
    assert tables.installed_django_tables2() == tables.DJANGO_TABLES2_VERSION
    assert django_tables2.utils.signature is tables.cached_signature


def test_the_requirements_pin_the_release_of_the_patch():
    """pyproject.toml and the locked requirements install exactly the release the patch was
    written for."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.findall(r'"django-tables2([^"]*)"', pyproject) == [
        f"=={tables.DJANGO_TABLES2_VERSION}"
    ]
    for name in ("base.txt", "dev.txt"):
        text = (ROOT / "requirements" / name).read_text()
        assert re.findall(r"^django-tables2==(\S+)", text, re.MULTILINE) == [
            tables.DJANGO_TABLES2_VERSION
        ], name


def test_another_release_is_refused_and_left_unpatched(monkeypatch):
    """On another release the patch raises ImproperlyConfigured naming both releases, and
    leaves django-tables2's own signature in place."""
    original = tables._signature
    monkeypatch.setattr(django_tables2.utils, "signature", original)
    with pytest.raises(ImproperlyConfigured) as error:
        tables.patch_django_tables2("3.1.0")
    message = str(error.value)
    assert f"for django-tables2 {tables.DJANGO_TABLES2_VERSION}" in message
    assert "django-tables2 3.1.0 is installed" in message
    assert django_tables2.utils.signature is original
    tables.patch_django_tables2(tables.DJANGO_TABLES2_VERSION)
    assert django_tables2.utils.signature is tables.cached_signature


def test_django_does_not_start_on_another_release():
    """The check runs at start-up (the core's `ready`): Django refuses to start when another
    django-tables2 is installed, and starts patched on the pinned one."""
    refused = start_django("3.1.0")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "django-tables2 3.1.0 is installed" in refused.stderr
    assert "patched" not in refused.stdout
    started = start_django(tables.DJANGO_TABLES2_VERSION)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "patched"
