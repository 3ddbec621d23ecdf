"""English mode shows suggestion numbers and dates in English; Chinese stays as offices write it."""

import datetime

from django.utils import translation

from renda.core.templatetags.renda import cn_date
from renda.suggestions.models import Suggestion


def test_number_label_and_dates_follow_the_language():
    s = Suggestion(term=18, session=3, number=130, kind=Suggestion.Kind.SUGGESTION)
    day = datetime.date(2026, 8, 27)
    with translation.override("zh-hans"):
        assert s.number_label == "第18届第3次会议第130号"
        assert cn_date(day) == "2026年8月27日"
    with translation.override("en"):
        assert s.number_label == "No. 130, 3rd session of the 18th congress"
        assert cn_date(day) == "Aug 27, 2026"
        # Official letters and stored text keep the Chinese form.
        assert s.number_label_zh == "第18届第3次会议第130号"
    s.term, s.session = 21, 2
    with translation.override("en"):
        assert s.number_label == "No. 130, 2nd session of the 21st congress"
