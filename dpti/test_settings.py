"""Settings for the test suite: DPTI_ENV=test, fast hashing, in-memory e-mail."""

import os

os.environ["DPTI_ENV"] = "test"

from dpti.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
DPTI["IMPORT_BACKGROUND_ROWS"] = 10**9  # noqa: F405 - imports run inline in tests
