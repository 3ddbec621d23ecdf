"""Production: the base settings tightened. Refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_int

DEBUG = False
RENDA_ENVIRONMENT = "production"


def _required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}")
    return value


SECRET_KEY = _required("SECRET_KEY")
RENDA_FIELD_KEY = _required("RENDA_FIELD_KEY")
RENDA_INDEX_KEY = _required("RENDA_INDEX_KEY")
RENDA_REQUIRE_2FA = env_bool("RENDA_REQUIRE_2FA", True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
# Source maps are for developers; compressing them would double collectstatic's time for nothing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
