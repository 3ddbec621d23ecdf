"""Local development and the demo (`make run`): SQLite under var/ by default.

DEBUG is off unless asked for (`DEBUG=1 make run`): whoever tries the demo — a county clerk — meets
the site's own "not found" and error pages, not Django's debug pages with settings and tracebacks.
Static files are served by WhiteNoise from the source folders either way."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)  # noqa: F405

# Static files come straight from the source folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
