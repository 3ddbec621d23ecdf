"""Local development and the demo (`make run`): debug on, SQLite under var/ by default."""

from .base import *  # noqa: F403

DEBUG = True
