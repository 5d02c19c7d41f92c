"""Settings for SPR Assurance.

One settings module: environments differ only by environment variables. The defaults are the
embedded ones (a SQLite file and kombu's filesystem broker) so `make run` needs no server;
PostgreSQL and Redis are selected with DATABASE_URL and CELERY_BROKER_URL.
"""

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SPR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=true for local work).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "core",
    "forces",
    "people",
    "threats",
    "capabilities",
    "capacity",
    "collaboration",
    "assessments",
    "cycle",
    "inspection",
    "reports",
    "dashboards",
    "home",
    "demo",
]

MIDDLEWARE = [
    # First, so every answer and log line carries the request id (core/requests.py).
    "core.requests.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: 413 for an oversized body, 400 for a NUL in a parameter.
    "core.middleware.RequestLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: no-store on everything a signed-in user or an API client is shown.
    "core.middleware.NoStoreMiddleware",
    # Every attachment a signed-in person is given (CSV, evidence, PDF) is a security event.
    "core.security_events.DownloadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: the idle timeout and absolute lifetime (core/user_sessions.py).
    "core.user_sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A signed-in person without a second factor reaches nothing but enrolment (SPR_REQUIRE_MFA).
    "core.signin.RequireMFAMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not 500 (core/middleware.py).
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last: turns a refused sign-in by a locked-out account or address into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spr.urls"
WSGI_APPLICATION = "spr.wsgi.application"

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
                "core.context_processors.service",
                "dashboards.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.govuk"],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not ":memory:", so the Celery worker the tests start can open the test database too.
    # One per test run (by process id), so runs side by side never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Sign-in: django-allauth (account and mfa) behind django-axes. See docs/security.md.
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # allauth's, loading a session's person with their profile, roles and forces in two queries.
    "people.backends.AccountBackend",
]
ACCOUNT_ADAPTER = "core.signin.AccountAdapter"
# People sign in by username (the demo accounts) or e-mail address; nobody signs themselves up.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
# Accounts are made by administrators, who vouch for the address.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# A reset request answers the same for a known and an unknown address, and sends nothing to unknown ones.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_FORMS = {
    "login": "core.forms.signin.LoginForm",
    "change_password": "core.forms.signin.ChangePasswordForm",
    "reset_password": "core.forms.signin.ResetPasswordForm",
    "reset_password_from_key": "core.forms.signin.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# Changing a password ends the session it was changed in (and, through Django's session hash, every
# other one); changing a second factor ends every other session (core.signin).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "SPR Assurance: "
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins are counted and locked out by django-axes (AXES_* below), per account and address.
    "login_failed": False,
    "login": False,
}
# Single sign-on with OpenID Connect, on when SPR_OIDC_ISSUER, SPR_OIDC_CLIENT_ID and
# SPR_OIDC_CLIENT_SECRET are set (Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0).
# An SSO sign-in lands in the existing account with the same e-mail address; nobody else gets in
# (sign-up is closed: "You do not have access yet"). The ID token's signature is always checked
# (core.signin.SignedIDTokenAdapter); an `amr` claim holding "mfa" counts as the second factor.
SPR_OIDC_ISSUER = os.environ.get("SPR_OIDC_ISSUER", "")
# Group or app-role claims map to a role and force through people.SsoGroupMapping (edited under
# /people/sso/): a mapped person is created or updated at sign-in; an unmapped one sees "You do not
# have access yet" and their administrators are told. Entra ID sends group object ids in "groups"
# (with the groups claim configured on the app registration) or app role values in "roles".
SOCIALACCOUNT_ADAPTER = "people.signin.SsoSocialAccountAdapter"
SPR_OIDC_GROUPS_CLAIM = os.environ.get("SPR_OIDC_GROUPS_CLAIM", "groups")
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if SPR_OIDC_ISSUER:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": "sso",
            "name": os.environ.get("SPR_OIDC_NAME", "your force's account"),
            "client_id": os.environ.get("SPR_OIDC_CLIENT_ID", ""),
            "secret": os.environ.get("SPR_OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": SPR_OIDC_ISSUER,
                "token_auth_method": "client_secret_post",
                # Entra ID sends no `email_verified`: addresses in these domains are the tenant's own.
                "verified_email": env_list("SPR_OIDC_EMAIL_DOMAINS") or False,
            },
        }
    ]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SPR Assurance"
MFA_RECOVERY_CODE_COUNT = 10
# When on, a signed-in person without an authenticator is sent to enrolment and reaches no page, API
# call or admin page until they have one. On by default unless DEBUG (make run's demo) or the tests.
SPR_REQUIRE_MFA = env_bool("SPR_REQUIRE_MFA", not DEBUG and not TESTING)
#: Personal API tokens expire after this many days unless their owner picks a shorter life.
SPR_API_TOKEN_DAYS = int(os.environ.get("SPR_API_TOKEN_DAYS", "90"))

# Lockout (django-axes): after AXES_FAILURE_LIMIT failures an account, and separately an address, is
# refused for the cool-off. An administrator unlocks with the admin (Access attempts) or
# `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "core.signin.axes_username"
AXES_VERBOSE = False
# The client's address: the socket's, unless SPR_TRUSTED_PROXY_COUNT proxies in front of the app
# append to X-Forwarded-For; then the entry the outermost trusted proxy appended. Entries a client
# forges sit to the left of it and are never believed (core.signin.client_ip_address).
SPR_TRUSTED_PROXY_COUNT = int(os.environ.get("SPR_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.signin.client_ip_address"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
GOVUK_FRONTEND_DIR = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", GOVUK_FRONTEND_DIR),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# GOV.UK Frontend's compiled CSS points at /assets/fonts/... and /assets/images/...; serving its
# dist folder at the site root answers those URLs without recompiling the Sass.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING or not env_bool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded evidence lives outside any URL space: it is served only through views that check the
# user's force. There is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("SPR_MEDIA_ROOT", VAR_DIR / "media"))
EVIDENCE_MAX_UPLOAD_BYTES = int(os.environ.get("EVIDENCE_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
SPR_NARRATIVE_MAX_LENGTH = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The first handler parses every multipart body so that a file name Django would quietly repair is
# refused instead, by pages and API alike (core/multipart.py).
FILE_UPLOAD_HANDLERS = [
    "core.multipart.StrictNameUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Virus scanning of uploads through ClamAV's daemon (core/antivirus.py): a Unix socket, or a host and
# port. With neither, files are stored as "not scanned".
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REPORTS_ROOT = Path(os.environ.get("SPR_REPORTS_ROOT", VAR_DIR / "reports"))

# Security headers. Pages carry no inline script or style, so the policy can be strict.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The production profile: with DEBUG off (outside the test suite) every default is the secure one, so
# `manage.py check --deploy --fail-level WARNING` passes with only SECRET_KEY and ALLOWED_HOSTS set.
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER (e.g. "HTTP_X_FORWARDED_PROTO,https") so
# that the redirect to HTTPS knows the request came over TLS; only if the proxy overwrites that header.
SECURE_DEFAULTS = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_DEFAULTS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_DEFAULTS)
# The container's own health check calls http://127.0.0.1:8000/healthz, inside the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60 if SECURE_DEFAULTS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["SECURE_PROXY_SSL_HEADER"].replace(":", ",").partition(",")
    _header = _header.strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_header if _header.startswith("HTTP_") else f"HTTP_{_header}", _value.strip())
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Sessions (core/user_sessions.py): signed out after SPR_SESSION_IDLE_MINUTES without activity and
# SPR_SESSION_MAX_HOURS after signing in, whatever the activity; the cookie lasts until the browser
# closes unless SESSION_EXPIRE_AT_BROWSER_CLOSE=false.
SPR_SESSION_IDLE_MINUTES = int(os.environ.get("SPR_SESSION_IDLE_MINUTES", "30"))
SPR_SESSION_MAX_HOURS = int(os.environ.get("SPR_SESSION_MAX_HOURS", "12"))
#: Seconds before the idle timeout that the GOV.UK timeout warning opens (where JavaScript runs).
SPR_SESSION_WARNING_SECONDS = int(os.environ.get("SPR_SESSION_WARNING_SECONDS", "120"))
#: URL names whose requests do not count as activity: a status panel that polls by itself.
SPR_SESSION_PASSIVE_URLS = ["reports:status"]
SESSION_COOKIE_AGE = SPR_SESSION_MAX_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Django's cache holds the API's throttle counts: local memory per process unless SPR_CACHE_URL names
# a Redis (redis://host:port/db) shared by every web process.
if os.environ.get("SPR_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["SPR_CACHE_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

if SPR_OIDC_ISSUER:
    # The sign-in and sign-out forms redirect to the provider, and browsers hold a form's redirects
    # to form-action too.
    from urllib.parse import urlsplit

    _issuer = urlsplit(SPR_OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal API tokens (`Authorization: Bearer <token>`): hashed, expiring, owned (core.tokens).
        # First, so a refused call answers 401 with `WWW-Authenticate: Bearer`.
        "core.api.authentication.PersonalTokenAuthentication",
        # Only these two: DRF's unhashed `Authorization: Token` keys are retired.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # Per signed-in user (session or token) and per address for anonymous callers; over the rate the
    # API answers 429 with Retry-After (core/api/throttling.py). Counted in Django's cache: set
    # SPR_CACHE_URL to a shared Redis so that every web process counts together.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonThrottle", "core.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # The suite makes thousands of calls as a handful of users; tests prove the limit with an override.
        "anon": os.environ.get("SPR_API_THROTTLE_ANON", "10000/min" if TESTING else "60/min"),
        "user": os.environ.get("SPR_API_THROTTLE_USER", "100000/min" if TESTING else "1200/min"),
    },
    # The address DRF counts anonymous callers by: REMOTE_ADDR unless a number of trusted proxies in
    # front of the service is set (DRF's default, None, would believe any client's X-Forwarded-For).
    "NUM_PROXIES": int(os.environ.get("SPR_TRUSTED_PROXIES") or 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SPR Assurance API",
    "DESCRIPTION": (
        "Self-assessment of police forces against the Home Office's Strategic Policing Requirement. "
        "Every object belongs to a force; another force's object answers 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Enum names as drf-spectacular's default, then the 400/403/404/413 every operation may answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_standard_errors",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "EditionStatusEnum": "threats.models.EditionStatus",
        "JudgementColourEnum": "threats.models.JudgementLevel.Tag",
        "PolicingBodyTypeEnum": "forces.models.BodyType",
        "AssessmentStatusEnum": "assessments.models.AssessmentStatus",
        "ResponseStatusEnum": "assessments.models.ResponseStatus",
        "DepartureStatusEnum": "assessments.models.DepartureStatus",
        "ActionStatusEnum": "assessments.models.ActionStatus",
        "InvitationStatusEnum": "people.models.InvitationStatus",
        "RoleEnum": "people.models.ROLE_CHOICES",
        "FindingKindEnum": "inspection.models.FindingKind",
        # Named since findings also have a `kind` (it was "KindEnum", the only one of that name).
        "EvidenceKindEnum": "assessments.models.EvidenceKind",
        "FindingStatusEnum": "inspection.models.FindingStatus",
        "EvidenceRequestStatusEnum": "inspection.models.REQUEST_SHOWN_STATUSES",
    },
}

# Celery. Job state lives in the database; the broker only carries job ids. No result backend:
# with one, .delay() blocked for ~19 s when Redis was down (see STACK-NOTES).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Tests get their own folder so a worker left running by `make run` never takes their messages.
    BROKER_DIR = Path(os.environ.get("SPR_BROKER_DIR", VAR_DIR / ("broker-test" if TESTING else "broker")))
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    # Socket timeouts: a broker that accepts connections but never answers must not hang a request
    # (without them, publishing to such a Redis blocked indefinitely).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# Report jobs stranded by a lost message or a killed worker are re-dispatched by a database sweep.
CELERY_BEAT_SCHEDULE = {
    "core-heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    "reports-sweep-stuck": {"task": "reports.sweep_stuck_reports", "schedule": 60.0},
    # Reminders of deadlines, actions, evidence and departures, and on Mondays the weekly digests:
    # once a day (cycle.reminders; safe to run twice, or on two workers at once).
    "cycle-send-reminders": {
        "task": "cycle.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("SPR_REMINDER_HOUR", "7")), minute=0),
    },
    "core-audit-checkpoint": {
        "task": "core.audit_checkpoint",
        "schedule": float(os.environ.get("SPR_AUDIT_CHECKPOINT_SECONDS", "300")),
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "spr-assurance@localhost")
# Where the file-based e-mail backend writes messages (tests point a worker's mail at a folder).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# The service's address as people reach it: links in e-mails (sent by workers, which have no request
# to ask) and the one-time link printed by create_admin are absolute.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SPR_SERVICE_NAME = "SPR Assurance"
SPR_PROTECTIVE_MARKING = os.environ.get("SPR_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
SPR_EDITIONS_DIR = BASE_DIR / "editions"
SPR_DATA_DIR = BASE_DIR / "data"
SPR_DEMO_PASSWORD = os.environ.get("SPR_DEMO_PASSWORD", "spr-demo")
#: How long an invitation link works.
SPR_INVITATION_DAYS = int(os.environ.get("SPR_INVITATION_DAYS", "14"))
# A monitor that sends `Authorization: Bearer <token>` sees /healthz's details (empty: nobody but a
# signed-in national administrator does).
SPR_HEALTH_TOKEN = os.environ.get("SPR_HEALTH_TOKEN", "")

# The audit chain (docs/security.md). Its HMAC key comes from the environment only, never the
# database, so whoever holds the database cannot re-hash a changed chain. With DEBUG on (or in the
# tests) a development key is derived from SECRET_KEY; production must set one (check spr.E001).
SPR_AUDIT_KEY = os.environ.get("SPR_AUDIT_KEY", "")
if not SPR_AUDIT_KEY and (DEBUG or TESTING):
    SPR_AUDIT_KEY = "development-only-audit-key:" + SECRET_KEY
# Keys the chain was keyed with before a rotation, comma-separated: still used to verify, never to write.
SPR_AUDIT_PREVIOUS_KEYS = env_list("SPR_AUDIT_PREVIOUS_KEYS")
# Where checkpoints (entry count and head hash) are appended, outside the app's database role.
# Production should ship this file to write-once storage or syslog (docs/security.md).
SPR_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("SPR_AUDIT_CHECKPOINT_DIR", VAR_DIR / ("audit-test" if TESTING else "audit"))
)
SPR_AUDIT_CHECKPOINT_SECONDS = float(os.environ.get("SPR_AUDIT_CHECKPOINT_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requests.RequestIdFilter"}},
    "formatters": {"default": {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "default"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}

if TESTING:
    # Hashing demo passwords with PBKDF2 dominated the suite's run time; tests prove behaviour, not
    # hash strength, and production keeps Django's default hashers.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise indexes every static file (GOV.UK Frontend's ~1,000) when its middleware starts: once
    # per process in production, but once per test client in the suite (~70 ms each, thousands of
    # clients). Looking each asset up when it is asked for serves the same files with the same headers.
    WHITENOISE_AUTOREFRESH = True
