"""Signals the kernel sends so that apps above it can act without the kernel importing them."""

from django.dispatch import Signal

# Sent when a request is refused for lack of a permission or outside the caller's jurisdiction
# (the answer is a 404 either way). Keyword arguments: detail (str), and optionally actor (the user;
# by default the current request's) and obj (the model instance that exists but was refused).
# renda.audit records each one as an `access.denied` entry.
access_denied = Signal()

# Sent inside the transaction that makes the new keys current (core.keyrotation.rotate_keys).
# Keyword argument: detail (str). renda.audit records it as `keys.rotate`.
keys_rotated = Signal()

# Sent for each workflow step refused during a request or job (core.middleware.record_refusals).
# Keyword argument: detail (str). renda.audit records it as a denied `workflow.refused` entry.
workflow_refused = Signal()
