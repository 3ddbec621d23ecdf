"""Every button that deletes, removes, withdraws or unlinks something asks before it acts.

A sixty-year-old deputy's thumb or a clerk's stray click must not remove a training attendee or
revoke a token in one tap: such buttons carry `data-confirm="<question>"`, which static/js/renda.js
turns into a confirmation. This test reads every template, so a new destructive button without the
question fails here.
"""

import re
from pathlib import Path

from django.conf import settings

DESTRUCTIVE = ("删除", "移除", "撤销", "撤回", "解除关联", "注销", "作废", "停用")
BUTTON = re.compile(r"<button\b(?P<attrs>[^>]*)>(?P<inner>.*?)</button>", re.S)
TRANSLATED = re.compile(r"""\{%\s*(?:translate|trans)\s+["'](?P<text>[^"']+)["'][^%]*%\}""")


def _label(inner: str) -> str:
    text = TRANSLATED.sub(lambda m: m.group("text"), inner)
    return re.sub(r"<[^>]+>|\{[{%].*?[%}]\}", "", text, flags=re.S).strip()


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("renda/*/templates/**/*.html"), *base.glob("templates/**/*.html")])


def destructive_buttons_without_question(paths) -> list[str]:
    """['path:line label', ...] for each destructive button lacking data-confirm."""
    found = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        for match in BUTTON.finditer(source):
            label = _label(match.group("inner"))
            if label.startswith(DESTRUCTIVE) and "data-confirm" not in match.group("attrs"):
                line = source.count("\n", 0, match.start()) + 1
                found.append(f"{path}:{line} {label}")
    return found


def test_every_destructive_button_asks_first():
    paths = _templates()
    assert len(paths) > 100
    assert destructive_buttons_without_question(paths) == []


def test_the_check_catches_a_button_without_a_question(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<form><button class="btn-link">{% translate "移除" %}</button></form>\n'
        '<button type="submit" data-confirm="确定吗？">{% translate "删除" %}</button>\n'
        "<button>\n  <span>撤销</span>签到\n</button>\n<button>保存</button>\n",
        encoding="utf-8",
    )
    assert destructive_buttons_without_question([bad]) == [f"{bad}:1 移除", f"{bad}:3 撤销签到"]
