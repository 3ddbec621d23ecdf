"""The lockout store (django-axes) with one change: a success clears only its own account's failures.

django-axes resets "the attempts matching the request" on a successful login, which with
username and address as separate lockout parameters means every failure recorded for the address,
other accounts' included. With one account of their own anyone could then guess another account's
password without limit (issue 13 §1). Here a success removes the failures recorded for the
username that succeeded, from any address, and nothing else: the per-username limit and the
per-address limit each keep counting the others.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


def reset_account_failures(username: str) -> int:
    """Delete the failed-login records of one account (all addresses). Returns how many rows went."""
    if not username:
        return 0
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


class AccountOnlyResetHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None) -> int:
        return reset_account_failures(get_client_username(request, credentials))
