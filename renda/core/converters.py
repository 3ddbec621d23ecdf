"""URL converters: `<code:…>` for every code a person may type into an address.

A station's poster address /o/57XMXCYT/ is typed by hand as often as it is scanned, and a Chinese IME
types ５７ｘｍｘｃｙｔ; a code copied from a chat keeps a zero-width space. The converter hands the view the
code as `renda.core.text.clean_code` folds it (NFKC, no format or control characters, no spaces) and
upper-cased, so every typing of one code reaches the same page. Views compare case-insensitively
(station codes are stored lower-case). Reversing writes the code as given.
"""

from django.urls import register_converter

from .text import clean_code


class CodeConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return clean_code(value).upper()

    def to_url(self, value) -> str:
        return str(value)


register_converter(CodeConverter, "code")
