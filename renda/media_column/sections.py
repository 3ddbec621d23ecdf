"""Published articles naming a deputy, on that deputy's record page (registered: deputies does not
import the media column)."""

from renda.core.sections import section_register

from . import selectors


def _deputy_detail(request, deputy, **_):
    articles = selectors.deputy_articles(deputy=deputy)
    if not articles:
        return None
    return {"articles": articles}


section_register(
    page="deputy_detail",
    name="media_column",
    template="media_column/_deputy_section.html",
    context=_deputy_detail,
    order=60,
)
