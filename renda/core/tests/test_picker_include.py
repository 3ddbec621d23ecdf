"""A picker's search names the fields it depends on and never only those (a form may lack one of them)."""

import html as html_lib
import re

import pytest

from renda.core.pickers import PICKERS, MultiPickerWidget, PickerWidget


@pytest.mark.parametrize("name", sorted(n for n, p in PICKERS.items() if p.params))
@pytest.mark.parametrize("widget_class", [PickerWidget, MultiPickerWidget])
def test_the_search_box_is_in_its_own_include_so_a_missing_sibling_is_no_htmx_error(name, widget_class):
    """The co-signer picker depends on lead_deputy, which a deputy's new draft does not have: with only
    "[name='lead_deputy']" htmx logged "returned no matches" on every keystroke (a browser test's
    console check failed). The include always matches the box itself, whatever the form holds."""
    html = widget_class(name).render("pick-x", None, attrs={"id": "id_pick-x"})
    include = html_lib.unescape(re.search(r'hx-include="([^"]*)"', html).group(1))
    parts = [part.strip() for part in include.split(",")]
    assert "#id_pick-x_q" in parts
    assert [f"[name='pick-{p}']" for p in PICKERS[name].params] == parts[:-1]
