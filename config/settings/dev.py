"""Local development and the demo (`make run`): debug on, SQLite under var/ by default."""

from .base import *  # noqa: F403

DEBUG = True

# Static files come straight from the source folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
