"""Django settings for DPTI.

Everything that differs between machines comes from environment variables. The defaults are
those of production (DEBUG off, secure cookies, a secret key required); `DPTI_ENV=local` is the
embedded first-run mode used by `make run` (SQLite, DEBUG, demo accounts) and `DPTI_ENV=test`
the test mode.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    """Return an environment variable, or the default when unset or empty."""
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DPTI_ENV = env("DPTI_ENV", "production")
if DPTI_ENV not in {"production", "local", "test"}:
    raise ImproperlyConfigured("DPTI_ENV must be production, local or test.")
IS_PRODUCTION = DPTI_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", DPTI_ENV == "local")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production "
            "(on a development machine, set DPTI_ENV=local or use make run / make test)."
        )
    SECRET_KEY = "dpti-insecure-key-for-local-and-test-only-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "axes",
    "dpti.core",
    "dpti.directory",
    "dpti.estate",
    "dpti.assets",
    "dpti.itpark",
    "dpti.procurement",
    "dpti.sampledata",  # demo, scale and bench data: above every domain app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's chosen language, else French: never the browser's Accept-Language.
    "dpti.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dpti.urls"
WSGI_APPLICATION = "dpti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dpti.core.context_processors.dpti",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:password@host:5432/name), SQLite by default.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'dpti.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several users at once on the embedded database. WAL lets readers go on while one
    # connection writes; a write waits up to 20 s for the file instead of failing with
    # « database is locked »; IMMEDIATE takes the write lock when a transaction begins, because
    # a transaction that read first and wants to write later cannot wait: SQLite fails it at
    # once, whatever the timeout, when another connection wrote meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the reports' aggregate queries cross its cost threshold and paid
    # 100+ ms of compiling for queries that run in tens of milliseconds.
    # A list's 50 rows with their 9 related records (movements) took 35 ms to plan and 3 to run:
    # PostgreSQL tried every order of the 10 joins. In groups of 6 it plans in 6 ms, and no
    # measured query ran slower (at 2, counting a building's assets went from 10 to 240 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c join_collapse_limit=6"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("DPTI_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("DPTI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("DPTI_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(env("DPTI_PROXY_COUNT", "0")) or None
AXES_ENABLED = env_bool("DPTI_LOGIN_THROTTLING", True)

# Optional LDAP / Active Directory login (pip extra "ldap"), enabled by AUTH_LDAP_SERVER_URI.
if env("AUTH_LDAP_SERVER_URI"):
    from dpti.core.ldap_settings import configure_ldap

    configure_ldap(globals(), env)

# Internationalisation: French for everyone, English for those who choose it in their
# preferences (dpti.core.middleware: the browser's language is not asked).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dpti" / "locale"]
TIME_ZONE = env("DPTI_TIME_ZONE", "Pacific/Noumea")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dpti.formats"]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": env("DPTI_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if env("DPTI_S3_BUCKET"):
    # S3-compatible storage through django-storages (pip extra "s3").
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DPTI_S3_BUCKET"),
            "endpoint_url": env("DPTI_S3_ENDPOINT_URL"),
            "access_key": env("DPTI_S3_ACCESS_KEY"),
            "secret_key": env("DPTI_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Cache: Redis when REDIS_URL is set (needed with several app processes), memory otherwise.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "dpti@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers and cookies; production sits behind a TLS reverse proxy.
SESSION_COOKIE_AGE = int(env("DPTI_SESSION_SECONDS", str(10 * 3600)))
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000" if IS_PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is an opt-in for each domain.

# Django REST framework and the OpenAPI schema.
REST_FRAMEWORK = {
    # Token first: an anonymous request then answers 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dpti.core.api.permissions.RegistryPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "dpti.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dpti.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "dpti.core.api.renderers.DptiBrowsableAPIRenderer",
    ],
    # Password guessing on the token endpoint is slowed down per client address.
    "DEFAULT_THROTTLE_RATES": {"auth_token": env("DPTI_API_TOKEN_RATE", "10/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("DPTI API"),
    "DESCRIPTION": _(
        "REST API of the DPTI management system: one endpoint per kind of record, with the "
        "permissions and rules of the screens. Authenticate with your session or a token "
        "(`Authorization: Token <key>`, key from /api/auth/token/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several fields share (the four DICT levels of an asset).
    "ENUM_NAME_OVERRIDES": {
        "DictLevelEnum": "dpti.itpark.models.information.Level",
        "ProcedureEnum": "dpti.procurement.models.reference.Procedure",
    },
    # No call to the public swagger.io validator: the schema stays on the server.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "persistAuthorization": True,
        "validatorUrl": None,
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "core/tables/table.html"


# Institution and application settings (another body adopts DPTI by changing these).
DPTI = {
    "INSTITUTION_NAME": env("DPTI_INSTITUTION_NAME", "Congrès de la Nouvelle-Calédonie"),
    "DIRECTORATE_NAME": env(
        "DPTI_DIRECTORATE_NAME", "Direction du Patrimoine et des Technologies de l'Information"
    ),
    "SHORT_NAME": env("DPTI_SHORT_NAME", "DPTI"),
    "CURRENCY": "XPF",
    "HOLIDAY_COUNTRY": env("DPTI_HOLIDAY_COUNTRY", "NC"),
    "ATTACHMENT_MAX_BYTES": int(env("DPTI_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024,
    "IMPORT_MAX_BYTES": int(env("DPTI_IMPORT_MAX_MB", "50")) * 1024 * 1024,
    # Imports larger than this many rows run in a background thread with a progress bar.
    "IMPORT_BACKGROUND_ROWS": int(env("DPTI_IMPORT_BACKGROUND_ROWS", "2000")),
    # Inventory numbers: {year} (of acquisition), {category} (code) and {seq}, the counter,
    # which restarts for each value of the other names; 25 characters at most.
    "INVENTORY_NUMBER_PATTERN": env("DPTI_INVENTORY_NUMBER_PATTERN", "{year}-{seq:06d}"),
    # Most labels printed in one PDF (3,000 take under a minute on two cores).
    "LABEL_MAX_COUNT": int(env("DPTI_LABEL_MAX_COUNT", "3000")),
    "DEMO_MODE": DPTI_ENV == "local",
    "SITE_URL": env("DPTI_SITE_URL", "http://127.0.0.1:8000"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DPTI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint's font subsetting reports every pruned table: noise, not news.
        "fontTools": {"level": "ERROR"},
        "weasyprint": {"level": "ERROR"},
    },
}
