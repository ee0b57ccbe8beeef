"""Houqin settings: one module, every deployment-specific value read from the environment.

With nothing set, Houqin runs for development: SQLite and a file-system Celery broker under
var/, e-mail printed to the console, DEBUG on. See .env.example for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# In production the key has no default: a missing SECRET_KEY stops start-up.
SECRET_KEY = (
    env("SECRET_KEY")
    if not DEBUG
    else env(
        "SECRET_KEY", default="django-insecure-houqin-development-only-key-do-not-use-in-production"
    )
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The company whose letterhead printed documents carry (above the property's name).
COMPANY_NAME = env("COMPANY_NAME", default="Houqin 物业服务有限公司")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Search's trigram indexes (pg_trgm) on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    # third-party
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "django_celery_beat",
    # Houqin, in dependency order (see DESIGN.md)
    "core",
    "staff",
    "procurement",
    "facilities",
    "cleaning",
    "safety",
    "liaison",
    # Last, as it asks: removes a replaced or deleted upload's file once the change commits.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "core.middleware.AuthFactsMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "core.middleware.OpenWorkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'houqin.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: wait for locks, write-ahead log.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles the plan of any query it estimates as costly; for the short
    # queries of a web page the compiling costs more than it saves (InvenTree measured its
    # list queries four times slower with it on). Reports that scan millions of rows are
    # still fast without it.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends after this many minutes without a request (default: a working day). A
# signed-in user's session is saved again, and its expiry moved on, at most once every
# SESSION_REFRESH_SECONDS (core.middleware.SessionRefreshMiddleware): not a write and a
# commit on every page, as SESSION_SAVE_EVERY_REQUEST would make.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=600)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)

# Set only by `manage.py bench` for the server it measures: mounts the floor pages of the
# busy lists (core.bench.floor_view).
BENCH_FLOOR = env.bool("HOUQIN_BENCH_FLOOR", default=False)

# --- Cache ----------------------------------------------------------------------------------
# Shared by every process of the site (web workers, Celery): a signed-in user's roles and
# permissions (core/authcache.py) and the sidebar's count live here between requests.
# CACHE_URL names one (e.g. redis://127.0.0.1:6379/1); else Redis when REDIS_URL is set, else
# files under var/cache (one machine, as `make run`).
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django's default of 300 files culls a third of them (at random) far too often.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# One cache may serve several databases on a machine (the bench's, a test run's): keys are
# kept apart by the database's name.
CACHES["default"].setdefault("KEY_PREFIX", f"houqin:{DATABASES['default']['NAME']}")
# Seconds a user's roles and permissions are kept at most; any change to them (a group given
# or taken, a group's permissions) is seen at once (core/authcache.py).
AUTH_CACHE_SECONDS = env.int("AUTH_CACHE_SECONDS", default=300)
# Seconds a filter's short pick list (properties, categories …) is kept at most; a row saved
# or deleted shows at once (core/picklists.py).
PICK_LIST_CACHE_SECONDS = env.int("PICK_LIST_CACHE_SECONDS", default=300)

# Seconds the sidebar's count of a user's open items is kept (their own changes recount it).
OPEN_WORK_CACHE_SECONDS = env.int("OPEN_WORK_CACHE_SECONDS", default=60)

# --- Exports (core/exports.py) ----------------------------------------------------------------
# Up to this many rows a list's CSV/Excel is answered at once; a larger one is prepared by the
# Celery worker and e-mailed, and kept this many days.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
EXPORT_MAX_ACTIVE_JOBS = env.int("EXPORT_MAX_ACTIVE_JOBS", default=3)
# Django's plain widgets written in Python (the same markup, without a template include per
# option); every other form template goes through the template engine (core/renderers.py).
FORM_RENDERER = "core.renderers.FastRenderer"
# django-axes: an account is locked after repeated failed logins, for a cool-off period.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock the account, not the address: offices share one NAT address, and locking it would
# lock out everyone behind it. axes warns that user-name-only locking lets an attacker
# rotate addresses; that is the point here (the account stays locked whatever the address).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Language, time, formats ----------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# One date and one date-and-time format per language, numbers grouped by thousands.
FORMAT_MODULE_PATH = ["core.formats"]
LANGUAGE_COOKIE_NAME = "houqin_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing directory
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Houqin 物业后勤 <houqin@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_SUBJECT_PREFIX = "[Houqin] "

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR = VAR_DIR / "broker"
    for sub in ("queue", "processed"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Reminders ------------------------------------------------------------------------------
REMINDER_SEND_ATTEMPTS = env.int("REMINDER_SEND_ATTEMPTS", default=3)
REMINDER_RETRY_DELAY = env.float("REMINDER_RETRY_DELAY", default=2.0)  # seconds, doubled each try
REMINDER_DEFAULT_HOUR = env.int("REMINDER_HOUR", default=7)

# --- Rosters --------------------------------------------------------------------------------
# Nobody is rostered with less rest than this between the end of one shift and the next.
ROSTER_MIN_REST_HOURS = env.int("ROSTER_MIN_REST_HOURS", default=8)

# --- Procurement ----------------------------------------------------------------------------
# Requisitions up to this amount (CNY) are approved by a supervisor; above it by the director.
PROCUREMENT_SUPERVISOR_LIMIT = env.int("PROCUREMENT_SUPERVISOR_LIMIT", default=5000)
# A requisition beyond the remaining budget: "warn" (approver sees it) or "block" (refused).
PROCUREMENT_BUDGET_CHECK = env.str("PROCUREMENT_BUDGET_CHECK", default="warn")
# Suppliers an RFQ must go to before it is sent.
PROCUREMENT_MIN_QUOTES = env.int("PROCUREMENT_MIN_QUOTES", default=3)
# Counts whose variances add up (in absolute value, CNY) to more than this need the director.
PROCUREMENT_COUNT_APPROVAL_VALUE = env.int("PROCUREMENT_COUNT_APPROVAL_VALUE", default=1000)
# The hour the daily task opens the stock counts due that day.
PROCUREMENT_COUNT_HOUR = env.int("PROCUREMENT_COUNT_HOUR", default=6)

# --- Facilities -----------------------------------------------------------------------------
# Response and resolution targets of a work order, in hours, by priority (响应/修复时限).
FACILITIES_TARGET_HOURS = {
    "urgent": (0.5, 4),
    "high": (2, 24),
    "normal": (8, 72),
    "low": (24, 168),
}
# The hour the daily task generates the preventive work orders due.
FACILITIES_GENERATE_HOUR = env.int("FACILITIES_GENERATE_HOUR", default=5)

# --- UI libraries ---------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-hover table-sm align-middle"}
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# (templates name behaviours with data- attributes that static/js/houqin.js binds). Styles
# keep 'unsafe-inline': templates use style="" attributes and small <style> blocks, and htmx
# adds its indicator style; inline styles cannot run code. data: images are Bootstrap's SVG
# icons (select arrows, check marks) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging: everything to stdout ----------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO, and fontTools each font subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
