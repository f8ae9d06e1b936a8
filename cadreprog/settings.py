"""Settings for cadreprog, read from the environment.

Safe production defaults: DEBUG is off, a SECRET_KEY must be given, cookies are secure.
`make run` turns DEBUG on for the local demo; tests set what they need in pyproject.toml.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# No default in production: left empty, Django refuses whatever needs the key (sessions,
# signing) and `check --deploy` reports it, while commands such as migrate still run.
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-local-development-only" if DEBUG else ""
)
# A key given in production must be one Django's deploy check would accept (security.W009):
# a guessable key lets anyone sign a session cookie, so the app refuses to start with one.
weak_key = (
    SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
)
if not DEBUG and SECRET_KEY and weak_key:
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production (DEBUG is off): it must be at least 50 "
        "characters with at least 5 different ones, not starting with 'django-insecure'. "
        'Make one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time; wait for it rather than failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state and background work (Celery on Redis). With REDIS_URL set, Django's cache is Redis,
# shared by every app server (the dashboard's figures, an upload's progress), and Celery uses it as
# broker and result store: `make worker` runs the worker with beat. Unset, the cache is this
# process's memory and tasks run inline, in the request that asks for them, so `make run` needs
# nothing else.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cadreprog",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Inline without Redis; CELERY_TASK_ALWAYS_EAGER=true runs them inline with Redis too (the suite
# does, but for the tests that start a worker of their own).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, so one whose worker died runs again; every task is
# written so that running twice does what running once does (cadreprog/background.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task runs longer than half an hour (a 20,000-row import takes seconds): one that hangs is
# stopped and recorded as failed, not retried, and frees its worker.
CELERY_TASK_TIME_LIMIT = 1800
# Seconds after which a task taken by a worker that vanished is handed to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The periodic work, for `make worker` (beat); `manage.py send_reminders` from cron does the
# reminders' part without beat. Times are Shanghai time.
CELERY_BEAT_SCHEDULE = {
    "forget-unconfirmed-uploads": {"task": "rosters.uploads_forget", "schedule": 3600.0},
    "forget-old-duty-uploads": {"task": "ledger.uploads_forget", "schedule": 3600.0},
    "forget-old-exports": {"task": "rosters.exports_forget", "schedule": 3600.0},
    "refresh-dashboard-figures": {"task": "dashboard.figures_refresh", "schedule": 300.0},
    "retry-lost-deliveries": {"task": "notifications.deliveries_retry", "schedule": 900.0},
    "send-reminders": {
        "task": "reminders.reminders_send",
        "schedule": crontab(minute="0", hour="9"),
    },
}
# Uploads of more rows than this are read, checked and written by the worker, with a progress
# bar; exports of more rows than EXPORT_BACKGROUND_ROWS become a download link when ready.
ROSTER_BACKGROUND_ROWS = env.int("ROSTER_BACKGROUND_ROWS", default=2000)
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20000)
# Background work that reports no progress for this many seconds is offered to be started again
# (its worker may have died; starting again never writes twice).
ROSTER_STALL_SECONDS = env.int("ROSTER_STALL_SECONDS", default=60)

# Mail: SMTP from EMAIL_URL (smtp://user:password@host:587, smtp+tls://…, smtp+ssl://…), the
# console when unset. DEFAULT_FROM_EMAIL names the sender.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cadreprog@localhost")
# A mail server that does not answer holds a worker (or, inline, a request) this long at most.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in e-mail and group-chat messages point, e.g. https://cadreprog.example.org
# (`check --deploy` warns while it is this machine's address).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The city's districts in its official order, which every list and chart of districts follows
# (placements/order.py); a deployment for another city sets its own. City-level units are 市直,
# a bucket of their own before the districts.
DISTRICTS = env.list(
    "DISTRICTS",
    default=[
        "市南区", "市北区", "李沧区", "崂山区", "城阳区",
        "黄岛区", "即墨区", "胶州市", "平度市", "莱西市",
    ],
)  # fmt: skip

INSTALLED_APPS = [
    "adminsite.site.CadreprogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "import_export",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cohorts",
    "placements",
    "spreadsheets",
    "rosters",
    "ledger",
    "notifications",
    "reminders",
    "security",
    "dashboard",
    "lead",
    "demo",
    "api",
    # Last: its admin.py registers every model admin, after the apps it unregisters from.
    "adminsite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that every response has the policy, a refusal of odd input included.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cadreprog.middleware.ChineseFirstLocaleMiddleware",
    # NUL, control characters, overlong values: a 400 before any view (security/odd_input.py).
    "security.odd_input.OddInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cadreprog.urls"
WSGI_APPLICATION = "cadreprog.wsgi.application"
# Django's form renderer, but inputs and selects written in Python (the same HTML, faster).
FORM_RENDERER = "cadreprog.widgets.PlainRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The headers' links, reversed once per process.
                "cadreprog.context_processors.site_links",
                # The bell's unread count (lazy: one query on a page that shows it).
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves collectstatic's hashed, compressed files; `make run` and the tests
        # serve them straight from the apps (STATIC_MANIFEST=0), with no collectstatic step.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# Limits of a roster uploaded on the web, checked before the file is read; the command line
# (the server operator's) has none.
ROSTER_UPLOAD_MAX_BYTES = env.int("ROSTER_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
ROSTER_UPLOAD_MAX_ROWS = env.int("ROSTER_UPLOAD_MAX_ROWS", default=20000)
# Seconds an upload may spend being read and parsed before it is refused (the command line: no
# limit), so that a file costing little to send cannot hold a worker for minutes.
ROSTER_UPLOAD_SECONDS = env.float("ROSTER_UPLOAD_SECONDS", default=30.0)
# Where `manage.py backup` (make backup) writes.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")
# Uploads of rosters run to 10 MB (10,000 rows with long unit names); keep them in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Production hardening; behind an HTTPS reverse proxy set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A login ends after this many seconds without a request (security/sessions.py renews it).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)

# Content security policy: scripts and styles from this site's own files only, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The API (issue 19): personal tokens (Authorization: Bearer) or the browser's session with
# CSRF; the pages' permissions per method and visible_to (api/permissions.py); JSON only, errors
# in the user's language (api/errors.py); each token its own allowance (API_THROTTLE_RATE).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "security.api_tokens.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasPagePermissions"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.str("API_THROTTLE_RATE", default="600/min")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cadreprog API",
    "DESCRIPTION": "实训干部管理系统的接口：与页面同样的权限与范围。"
    "用个人令牌（manage.py api_token）以 Authorization: Bearer 调用。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"PlacementStatusEnum": "placements.models.PlacementStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.with_error_component",
    ],
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is refused for AXES_COOLOFF_HOURS; after AXES_USERNAME_FAILURE_LIMIT
# failures of one user name from all addresses together, that name is refused from everywhere
# (security/throttle.py); every failure is logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_HANDLER = "security.throttle.ThrottleHandler"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username NAME`
# The log names the user name and address of each failure (never a password); no banner at startup.
AXES_SENSITIVE_PARAMETERS = []
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "security.two_factor.client_ip"

# Two-factor login (TOTP, django-otp): anyone may turn it on; staff must when this is on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "cadreprog"

# One login page for staff and team leads; after it, a lead lands on their batches (/lead/).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
