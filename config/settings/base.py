"""Settings shared by every environment, read from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# Development-only fallback; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", False)
# "development", "test" or "production": seed_demo refuses to run in production.
RENDA_ENVIRONMENT = "development"
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "renda.core",
    "renda.regions",
    "renda.organizations",
    "renda.accounts",
    "renda.audit",
    "renda.jobs",
    "renda.deputies",
    "renda.duty_records",
    "renda.opinions",
    "renda.legislation",
    "renda.suggestions",
    "renda.network",
    "renda.operations",
    "renda.notifications",
    "renda.guidance",
    "renda.workplan",
    "renda.training",
    "renda.media_column",
    "renda.cooperation",
    "renda.onboarding",
    "renda.points",
    "renda.activities",
    "renda.rollup",
    "renda.duty_reports",
    "renda.dossier",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renda.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renda.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "renda.core.middleware.RequestContextMiddleware",
    "renda.core.api_guard.ApiGuardMiddleware",
    "renda.accounts.middleware.SessionLimitsMiddleware",
    "renda.accounts.middleware.TwoFactorMiddleware",
    "renda.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "renda.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'renda.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the job worker read while the other writes; IMMEDIATE takes the write
    # lock when a transaction starts (so it waits, instead of failing when a read turns into a write);
    # the busy timeout is how long a writer waits for the lock before "database is locked".
    _busy_ms = env_int("RENDA_SQLITE_BUSY_TIMEOUT_MS", 20000)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busy_ms};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_ms / 1000,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "renda.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "renda.accounts.validators.ComplexityValidator"},
    {"NAME": "renda.accounts.validators.HistoryValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "renda.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- login security (等保 level 3) ---
AXES_FAILURE_LIMIT = env_int("RENDA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("RENDA_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
# A success clears only the failures of the account that succeeded (issue 13 §1).
AXES_HANDLER = "renda.accounts.axes.AccountOnlyResetHandler"
AXES_LOCKOUT_CALLABLE = "renda.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

RENDA_IDLE_TIMEOUT_SECONDS = env_int("RENDA_IDLE_TIMEOUT_SECONDS", 30 * 60)
RENDA_SESSION_MAX_SECONDS = env_int("RENDA_SESSION_MAX_SECONDS", 12 * 60 * 60)
RENDA_REQUIRE_2FA = env_bool("RENDA_REQUIRE_2FA", False)
RENDA_PASSWORD_HISTORY = env_int("RENDA_PASSWORD_HISTORY", 5)
RENDA_API_TOKEN_HOURS = env_int("RENDA_API_TOKEN_HOURS", 12)
# A token unused this long has ended, as an idle session does.
RENDA_API_TOKEN_IDLE_SECONDS = env_int("RENDA_API_TOKEN_IDLE_SECONDS", RENDA_IDLE_TIMEOUT_SECONDS)
# The function that finds a live API token (with `.user`) by its key; the kernel's BearerAuth calls it.
RENDA_API_TOKEN_GET = "renda.accounts.services.api_token_get"  # noqa: S105 - a function path
OTP_TOTP_ISSUER = "人大履职通"
# The first authenticator is bound only with a one-time code from the security administrator.
RENDA_ENROLMENT_CODE_HOURS = env_int("RENDA_ENROLMENT_CODE_HOURS", 72)
RENDA_ENROLMENT_MAX_FAILURES = env_int("RENDA_ENROLMENT_MAX_FAILURES", 5)

# --- audit ---
RENDA_AUDIT_MIN_RETENTION_DAYS = 184  # Cybersecurity Law: at least six months
RENDA_AUDIT_RETENTION_DAYS = max(env_int("RENDA_AUDIT_RETENTION_DAYS", 365), RENDA_AUDIT_MIN_RETENTION_DAYS)
# Repeated failures and denials from one source fold into one counted entry per interval; at most
# BURST entries of one kind per source and interval are written one by one (issue 13 §2).
RENDA_AUDIT_FOLD_SECONDS = env_int("RENDA_AUDIT_FOLD_SECONDS", 60)
RENDA_AUDIT_FOLD_BURST = env_int("RENDA_AUDIT_FOLD_BURST", 30)
# Key of the audit log's hash chain (64 hex characters); by default derived from SECRET_KEY. Keep
# it out of the database and out of backups of the database.
RENDA_AUDIT_KEY = env("RENDA_AUDIT_KEY", "")
# A copy of every audit event goes to the `renda.audit` logger; with an address ("/dev/log", or
# "host:514" for UDP) it also goes to syslog, where the application's administrators cannot change it.
RENDA_AUDIT_SYSLOG_ADDRESS = env("RENDA_AUDIT_SYSLOG_ADDRESS", "")

# --- protected personal data: 16-byte keys as 32 hex characters ---
RENDA_FIELD_KEY = env("RENDA_FIELD_KEY", "")
RENDA_INDEX_KEY = env("RENDA_INDEX_KEY", "")

RENDA_DEMO_PASSWORD = env("RENDA_DEMO_PASSWORD", "Renda#2024")
# Finished jobs and their files (exports may hold personal data) are deleted after this (job_prune).
RENDA_JOB_RETENTION_HOURS = env_int("RENDA_JOB_RETENTION_HOURS", 24)

# --- network (issue 3): station posters ---
# The site's public address (e.g. https://rd.example.gov.cn) printed on station posters and encoded
# in their QR codes. Empty: the address the poster page was opened under.
RENDA_PUBLIC_BASE_URL = env("RENDA_PUBLIC_BASE_URL", "")

# --- deputies (issue 4): 双联系, constituent contacts, roster import ---
# Each committee member (常委会组成人员) keeps in contact with at least this many deputies.
RENDA_CONTACT_MIN_DEPUTIES = env_int("RENDA_CONTACT_MIN_DEPUTIES", 5)
# Contacts with constituents each deputy is expected to log per year (shown as progress).
RENDA_CONSTITUENT_CONTACTS_PER_YEAR = env_int("RENDA_CONSTITUENT_CONTACTS_PER_YEAR", 12)
# Roster spreadsheets: largest upload and most rows read.
RENDA_ROSTER_MAX_BYTES = env_int("RENDA_ROSTER_MAX_BYTES", 5 * 1024 * 1024)
RENDA_ROSTER_MAX_ROWS = env_int("RENDA_ROSTER_MAX_ROWS", 5000)
# Checked but unconfirmed roster imports (their encrypted files hold ID numbers) are deleted after
# this many hours by `manage.py roster_import_prune` (run daily).
RENDA_ROSTER_IMPORT_RETENTION_HOURS = env_int("RENDA_ROSTER_IMPORT_RETENTION_HOURS", 72)

# --- constituents' opinions (群众意见): flood limits per client address, counted in the database so
# that every worker process shares them. The same limit guards the public legislative comment page.
# The QR form (and the public comment page) on a reception day: twenty residents behind one Wi-Fi router in
# an hour all get through; a script is stopped by the same content repeated, or by the station's ceiling.
RENDA_OPINION_RATE_LIMIT = env_int("RENDA_OPINION_RATE_LIMIT", 30)  # accepted per address per window
RENDA_OPINION_RATE_WINDOW_SECONDS = env_int("RENDA_OPINION_RATE_WINDOW_SECONDS", 60 * 60)
RENDA_OPINION_DUPLICATE_LIMIT = env_int("RENDA_OPINION_DUPLICATE_LIMIT", 1)  # same content, same address
RENDA_OPINION_STATION_LIMIT = env_int("RENDA_OPINION_STATION_LIMIT", 100)  # one station, all addresses
RENDA_OPINION_TRACK_LIMIT = env_int("RENDA_OPINION_TRACK_LIMIT", 30)  # tracking-code lookups per window

# --- suggestions and motions (issue 5): legal periods, reminders, numbering ---
# The congress that new suggestions belong to (第18届第3次会议); staff may set another per item.
RENDA_SUGGESTION_TERM = env_int("RENDA_SUGGESTION_TERM", 18)
RENDA_SUGGESTION_SESSION = env_int("RENDA_SUGGESTION_SESSION", 3)
# 代表法: answer within 3 months of 交办, at most 6 in all with extensions.
RENDA_SUGGESTION_REPLY_MONTHS = env_int("RENDA_SUGGESTION_REPLY_MONTHS", 3)
RENDA_SUGGESTION_MAX_MONTHS = env_int("RENDA_SUGGESTION_MAX_MONTHS", 6)
# Local rules: co-handlers' input within 1 month; a return within 7 working days; second reply 1 month.
RENDA_SUGGESTION_COHANDLER_MONTHS = env_int("RENDA_SUGGESTION_COHANDLER_MONTHS", 1)
RENDA_SUGGESTION_RETURN_WORKING_DAYS = env_int("RENDA_SUGGESTION_RETURN_WORKING_DAYS", 7)
RENDA_SUGGESTION_REHANDLE_MONTHS = env_int("RENDA_SUGGESTION_REHANDLE_MONTHS", 1)
# Working days follow the official calendar (国务院办公厅 each year) from the pinned `chinesecalendar`
# package (renda/core/calendar.py). Local overrides, ISO dates comma separated: extra rest days (or a year
# the package does not carry yet) and extra working days.
RENDA_HOLIDAYS = [d for d in env("RENDA_HOLIDAYS", "").split(",") if d.strip()]
RENDA_EXTRA_WORKDAYS = [d for d in env("RENDA_EXTRA_WORKDAYS", "").split(",") if d.strip()]
# A period counted in months that ends on a rest day ends on the next working day (Civil Code art. 203).
RENDA_PERIOD_END_ON_WORKING_DAY = env_bool("RENDA_PERIOD_END_ON_WORKING_DAY", True)
# Warn (system check renda.W001, home-page notice) this many days before a year the calendar lacks; 0 = off.
RENDA_CALENDAR_WARN_DAYS = env_int("RENDA_CALENDAR_WARN_DAYS", 60)
# Reminders: N days before a deadline, on the day, and every M days while overdue.
RENDA_SUGGESTION_REMIND_BEFORE_DAYS = env_int("RENDA_SUGGESTION_REMIND_BEFORE_DAYS", 15)
RENDA_SUGGESTION_REMIND_OVERDUE_EVERY_DAYS = env_int("RENDA_SUGGESTION_REMIND_OVERDUE_EVERY_DAYS", 3)
# Guidance and work-plan items: N days before the due date, every M days while overdue, up to a limit.
RENDA_GUIDANCE_REMIND_BEFORE_DAYS = env_int("RENDA_GUIDANCE_REMIND_BEFORE_DAYS", 7)
RENDA_GUIDANCE_REMIND_OVERDUE_EVERY_DAYS = env_int("RENDA_GUIDANCE_REMIND_OVERDUE_EVERY_DAYS", 7)
RENDA_GUIDANCE_REMIND_OVERDUE_MAX_DAYS = env_int("RENDA_GUIDANCE_REMIND_OVERDUE_MAX_DAYS", 90)
RENDA_WORKPLAN_REMIND_BEFORE_DAYS = env_int("RENDA_WORKPLAN_REMIND_BEFORE_DAYS", 15)
RENDA_WORKPLAN_REMIND_OVERDUE_EVERY_DAYS = env_int("RENDA_WORKPLAN_REMIND_OVERDUE_EVERY_DAYS", 7)
RENDA_WORKPLAN_REMIND_OVERDUE_MAX_DAYS = env_int("RENDA_WORKPLAN_REMIND_OVERDUE_MAX_DAYS", 90)
# The class that delivers notifications beyond the in-app inbox (e-mail/SMS gateway); console by
# default. RENDA_REMINDER_SENDER is the older name of this setting and is still read.
RENDA_NOTIFICATION_SENDER = env(
    "RENDA_NOTIFICATION_SENDER", env("RENDA_REMINDER_SENDER", "renda.notifications.senders.ConsoleSender")
)
# Failed deliveries are retried by `manage.py notification_retry` (run every few minutes): after
# BASE seconds, doubling each time up to MAX, and given up after MAX_ATTEMPTS tries.
RENDA_NOTIFICATION_RETRY_BASE_SECONDS = env_int("RENDA_NOTIFICATION_RETRY_BASE_SECONDS", 300)
RENDA_NOTIFICATION_RETRY_MAX_SECONDS = env_int("RENDA_NOTIFICATION_RETRY_MAX_SECONDS", 24 * 3600)
RENDA_NOTIFICATION_MAX_ATTEMPTS = env_int("RENDA_NOTIFICATION_MAX_ATTEMPTS", 6)
# E-mail for renda.notifications.senders.EmailSender (Django's SMTP backend by default).
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "renda@localhost")
# A motion (议案) needs a delegation or this many deputies jointly; otherwise it is a suggestion.
RENDA_MOTION_MIN_DEPUTIES = env_int("RENDA_MOTION_MIN_DEPUTIES", 10)

# --- activities (issue 9): check-in codes, law-enforcement inspection follow-up ---
# A check-in code works from this many minutes before the start until this many after the end.
RENDA_CHECKIN_GRACE_MINUTES = env_int("RENDA_CHECKIN_GRACE_MINUTES", 30)
# Outer bound on a signed check-in code's age (a code printed for a rescheduled activity expires).
RENDA_CHECKIN_TOKEN_MAX_AGE_DAYS = env_int("RENDA_CHECKIN_TOKEN_MAX_AGE_DAYS", 30)
# The government reports how it handled the 审议意见 of a law-enforcement inspection within this.
RENDA_INSPECTION_RESPONSE_MONTHS = env_int("RENDA_INSPECTION_RESPONSE_MONTHS", 2)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # ID and phone numbers never reach a log line in clear (request URLs included).
    "filters": {"scrub_personal_data": {"()": "renda.core.logging.ScrubPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_personal_data"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}


def audit_logging(config: dict, address: str) -> dict:
    """`config` with the `renda.audit` logger, and a syslog handler for it when `address` is set."""
    handlers = ["console"]
    if address:
        host, _, port = address.rpartition(":")
        target = (host, int(port)) if host and port.isdigit() else address
        config["handlers"]["audit_syslog"] = {
            "class": "logging.handlers.SysLogHandler",
            "address": target,
            "facility": "authpriv",
            "filters": ["scrub_personal_data"] if "scrub_personal_data" in config.get("filters", {}) else [],
        }
        handlers.append("audit_syslog")
    config["loggers"]["renda.audit"] = {"handlers": handlers, "level": "INFO", "propagate": False}
    return config


LOGGING = audit_logging(LOGGING, RENDA_AUDIT_SYSLOG_ADDRESS)

# Onboarding: usernames made by bulk account creation — "pinyin" (王芳 → wangfang01) or "phone"
# (the deputy's mobile number, pinyin when there is none); sheets of initial passwords not
# downloaded within this many hours are deleted (credential_sheet_prune).
RENDA_ACCOUNT_USERNAME_RULE = env("RENDA_ACCOUNT_USERNAME_RULE", "pinyin")
RENDA_CREDENTIAL_SHEET_HOURS = env_int("RENDA_CREDENTIAL_SHEET_HOURS", 72)
# Work queues: an opinion still 已受理 after this many calendar days is past its time (county staff's
# queue and the opinions list's "超时未办" filter).
RENDA_OPINION_RESPONSE_DAYS = env_int("RENDA_OPINION_RESPONSE_DAYS", 15)
# A co-signer's request to confirm lapses this many days after it was sent; before that, a
# suggestion with unanswered co-signers cannot be submitted (0: it waits for every answer).
RENDA_SUGGESTION_COSIGN_DAYS = env_int("RENDA_SUGGESTION_COSIGN_DAYS", 3)
# A department answers an opinion referred to it within this many working days.
RENDA_OPINION_REFERRAL_WORKING_DAYS = env_int("RENDA_OPINION_REFERRAL_WORKING_DAYS", 10)
# Reception days (接待日) are scheduled at most this many days ahead; a day already past is entered
# only as 补录 (a notebook kept on paper), back to 1 January of this many years ago.
RENDA_RECEPTION_AHEAD_DAYS = env_int("RENDA_RECEPTION_AHEAD_DAYS", 366)
RENDA_RECEPTION_BACKFILL_YEARS = env_int("RENDA_RECEPTION_BACKFILL_YEARS", 1)
# A contact or a 申报 may be dated back to 1 January of this many years ago, no earlier.
RENDA_DUTY_BACKFILL_YEARS = env_int("RENDA_DUTY_BACKFILL_YEARS", 1)

# Periodic jobs, run by `manage.py run_periodic` (started beside the worker by `make run`; in
# production a systemd service, or cron calling the commands directly — see README). One line per
# job: (what, when). What: a management command's name ("job_prune") or a django-task's dotted path
# ("renda.x.tasks.y_task"). When: seconds between runs (an int) or a daily time "HH:MM" (local).
# Other apps append their lines here.
RENDA_PERIODIC_JOBS = [
    ("suggestion_reminders", "07:00"),
    ("job_prune", 3600),
    ("roster_import_prune", 3600),
    ("credential_sheet_prune", 3600),
    ("audit_prune", "02:30"),
    # Stale jobs (their worker vanished), health alerts, bursts of denials: issue 13 §3, §9.
    ("ops_check", 60),
    ("activity_absences", 3600),
    ("notification_retry", 300),
    # The roll-up's figures kept per county (renda/rollup/selectors.py figures_refresh): issue 15 §4.
    ("rollup_refresh", 600),
]
# City and province dashboards read the figures kept per county (shown as 数据截至 HH:MM) once
# rollup_refresh has run; 0 counts every figure live on each request.
RENDA_ROLLUP_STORED = env_bool("RENDA_ROLLUP_STORED", True)

# --- uploaded office files (.xlsx/.docx), checked before parsing (renda/core/uploads.py) ---
# All parts unpacked together, the unpacked ÷ packed ratio of a part (or of the whole), parts in the ZIP.
RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES = env_int("RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
RENDA_OFFICE_MAX_RATIO = env_int("RENDA_OFFICE_MAX_RATIO", 100)
RENDA_OFFICE_MAX_PARTS = env_int("RENDA_OFFICE_MAX_PARTS", 1000)

# --- background jobs that survive faults (renda/jobs) ---
# A job's task is retried this many times after a transient database error (locked, connection lost),
# waiting RENDA_JOB_RETRY_SECONDS, then twice as long each time.
RENDA_JOB_RETRIES = env_int("RENDA_JOB_RETRIES", 3)
RENDA_JOB_RETRY_SECONDS = float(env("RENDA_JOB_RETRY_SECONDS", "0.5"))
# The worker (manage.py job_worker) says it is alive this often; a running job silent for
# RENDA_JOB_STALE_SECONDS lost its worker and is failed by `manage.py job_reap_stale`.
RENDA_WORKER_HEARTBEAT_SECONDS = env_int("RENDA_WORKER_HEARTBEAT_SECONDS", 15)
RENDA_JOB_STALE_SECONDS = env_int("RENDA_JOB_STALE_SECONDS", 5 * 60)
# The link to an opinion's confirmation page (with its tracking code) works this long after submitting.
RENDA_OPINION_CONFIRMATION_SECONDS = env_int("RENDA_OPINION_CONFIRMATION_SECONDS", 60 * 60)

# --- backups (manage.py backup / restore): SM4-GCM key, 32 hex characters, kept apart from the field
# keys and from the archives; where archives are written.
RENDA_BACKUP_KEY = env("RENDA_BACKUP_KEY", "")
RENDA_BACKUP_DIR = env("RENDA_BACKUP_DIR", str(BASE_DIR / "var" / "backups"))

# --- alerts (renda/core/alerts.py) and health (/healthz, manage.py ops_check) ---
# Channels: "log", "email", "webhook" (comma separated) or dotted class paths.
RENDA_ALERT_CHANNELS = env("RENDA_ALERT_CHANNELS", "log")
RENDA_ALERT_EMAILS = env("RENDA_ALERT_EMAILS", "")
RENDA_ALERT_WEBHOOK_URL = env("RENDA_ALERT_WEBHOOK_URL", "")
RENDA_ALERT_WEBHOOK_SECRET = env("RENDA_ALERT_WEBHOOK_SECRET", "")
RENDA_ALERT_WEBHOOK_TIMEOUT = env_int("RENDA_ALERT_WEBHOOK_TIMEOUT", 5)
# The same alert (kind and subject) is sent at most once per this many seconds.
RENDA_ALERT_REPEAT_SECONDS = env_int("RENDA_ALERT_REPEAT_SECONDS", 15 * 60)
# A burst of denials: this many denied requests (audit outcome "denied") within the window.
RENDA_ALERT_DENIALS = env_int("RENDA_ALERT_DENIALS", 50)
RENDA_ALERT_DENIAL_WINDOW_SECONDS = env_int("RENDA_ALERT_DENIAL_WINDOW_SECONDS", 5 * 60)
# Health: no worker heartbeat for this long is critical; the oldest queued job's age (warning, critical);
# free disk space (MB) under which it is a warning / critical.
RENDA_WORKER_DEAD_SECONDS = env_int("RENDA_WORKER_DEAD_SECONDS", 2 * 60)
RENDA_QUEUE_WARN_SECONDS = env_int("RENDA_QUEUE_WARN_SECONDS", 2 * 60)
RENDA_QUEUE_CRITICAL_SECONDS = env_int("RENDA_QUEUE_CRITICAL_SECONDS", 10 * 60)
RENDA_DISK_WARN_MB = env_int("RENDA_DISK_WARN_MB", 2048)
RENDA_DISK_CRITICAL_MB = env_int("RENDA_DISK_CRITICAL_MB", 512)

# The issuing code in a letter's 文号 (GB/T 9704: 发文机关代字〔年份〕序号), e.g. 大人常代〔2026〕12号.
RENDA_LETTER_CODE = env("RENDA_LETTER_CODE", "大人常代")

# --- production topology that scales out (issue 15 §6; docs/architecture.md "Production topology") ---
from config import topology  # noqa: E402

# Django's psycopg pool: "MIN:MAX" connections per process, PostgreSQL only ("" = a connection per
# request, or per CONN_MAX_AGE). With PgBouncer in transaction mode instead, leave it empty.
RENDA_DB_POOL = env("RENDA_DB_POOL", "")
if RENDA_DB_POOL:
    DATABASES["default"] = topology.database(env("DATABASE_URL", ""), pool=RENDA_DB_POOL)
# A read-only standby for statistics, exports and dashboards (renda.core.db_router); without it every
# read goes to the primary. (The test settings add the alias as a mirror of the primary.)
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = topology.replica(
        DATABASE_REPLICA_URL, primary=DATABASES["default"], pool=RENDA_DB_POOL
    )
RENDA_READ_REPLICA = "replica" if DATABASE_REPLICA_URL else ""
# PostgreSQL's JIT off for the application's sessions (config/topology.py:postgres_session says why).
RENDA_PG_JIT = env_bool("RENDA_PG_JIT", False)
for _database in DATABASES.values():
    topology.postgres_session(_database, jit=RENDA_PG_JIT)
DATABASE_ROUTERS = ["renda.core.db_router.ReplicaRouter"]
MIDDLEWARE.append("renda.core.db_router.ReplicaReadsMiddleware")
# Which pages read from the replica: URL names (namespace:name, shell patterns), GET/HEAD only.
RENDA_REPLICA_VIEWS = [
    "*:stats",
    "*:stats_xlsx",
    "*:yearly_report",
    "*:export",
    "*:board_xlsx",
    "*:rollup*",
    "*:dashboard*",
    "api:*stats*",
]
# Background jobs (Job.kind, shell patterns) that read from the replica: exports.
RENDA_REPLICA_JOBS = ["*export*"]

# Shared cache (Redis) for sessions, rate-limit counters and precomputed figures; without REDIS_URL
# each process has its own memory cache and sessions and rate limits stay in the database.
REDIS_URL = env("REDIS_URL", "")
CACHES = topology.caches(REDIS_URL)
if REDIS_URL:
    # Read from Redis, written through to the database: a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
RENDA_THROTTLE_STORE = env("RENDA_THROTTLE_STORE", "cache" if REDIS_URL else "db")

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma separated).
# The client address of lockout (axes), audit and rate limits is renda.core.middleware.client_ip.
RENDA_TRUSTED_PROXIES = topology.trusted_proxies(env("RENDA_TRUSTED_PROXIES", ""))
AXES_CLIENT_IP_CALLABLE = "renda.core.middleware.client_ip"

# Lists count exactly up to this many rows; above it PostgreSQL's estimate is shown ("约 N 条")
# (renda/core/paging.py, issue 15 §4). API pages: default and largest page_size.
RENDA_COUNT_EXACT_UP_TO = env_int("RENDA_COUNT_EXACT_UP_TO", 10000)
RENDA_API_PAGE_SIZE = env_int("RENDA_API_PAGE_SIZE", 100)
RENDA_API_MAX_PAGE_SIZE = env_int("RENDA_API_MAX_PAGE_SIZE", 200)
# Big lists number their first pages only; from this page on they go on by cursor (?after=), which
# reads an index range instead of skipping every earlier row (renda/core/paging.py list_page).
RENDA_KEYSET_FROM_PAGE = env_int("RENDA_KEYSET_FROM_PAGE", 10)
# County and township users scoped on the stored county/township codes (renda/regions/keys.py) instead
# of the region path, which PostgreSQL misjudges (issue 15 §4). Every writer sets the keys (save(),
# the bulk writers through region_keys_fill / operations/bulk.py, regions_load through
# region_keys_refresh). Escape hatch: RENDA_SCOPE_BY_REGION_KEYS=0 goes back to the region path, e.g.
# if rows were written behind the services' back (then run region_keys_refresh and turn it on again).
RENDA_SCOPE_BY_REGION_KEYS = env_bool("RENDA_SCOPE_BY_REGION_KEYS", True)
