"""Test settings: the base settings made faster, nothing else changed."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RENDA_ENVIRONMENT = "test"

# Static files come straight from the source folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Folding repeated denials (issue 13 §2) is off, so that a test counting its denials sees each one;
# renda/audit/tests/test_completeness.py turns it on to test it.
RENDA_AUDIT_FOLD_SECONDS = 0

# The read-replica alias as a mirror of the primary (issue 15 §6): routing is off (RENDA_READ_REPLICA
# empty) except in renda/core/tests/test_topology.py, which turns it on to see reads go there.
from config import topology  # noqa: E402

DATABASES["replica"] = topology.replica("", primary=DATABASES["default"])  # noqa: F405
