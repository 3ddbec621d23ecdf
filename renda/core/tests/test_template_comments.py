"""Django's `{# … #}` comment ends at the line's end: one spread over several lines is printed on the
page as text (a fresh tester found one in the header of every page). Longer comments use
{% comment %}…{% endcomment %}."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_no_template_comment_spans_lines():
    broken = []
    for directory in (ROOT / "templates", ROOT / "renda"):
        for path in directory.rglob("*.html"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                rest = line
                while "{#" in rest:
                    rest = rest[rest.index("{#") + 2 :]
                    if "#}" not in rest:
                        broken.append(f"{path.relative_to(ROOT)}:{number}")
                        break
                    rest = rest[rest.index("#}") + 2 :]
    assert not broken, f"多行的 {{# #}} 注释会显示在页面上，请改用 {{% comment %}}：{broken}"
