"""seed_demo refuses a production installation (the demo county itself: test_demo_county.py)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


@override_settings(RENDA_ENVIRONMENT="production")
def test_seed_demo_refuses_production(db):
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", verbosity=0)
