"""The core text policy on the public paths: the QR form stores pasted text without control characters,
and a tracking code or station code typed with an IME (full-width) or copied with invisible characters is
the same code."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core.models import RateLimitBucket
from renda.opinions.models import Opinion

FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
)
INVISIBLE = ["\u200b", "\ufeff", "\u2060", "\u00ad", " ", "\u3000", "-"]
fixtures_ok = settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sprinkle(text: str, extras: list[str], positions: list[int]) -> str:
    chars = list(text)
    for extra, position in zip(extras, positions, strict=False):
        chars.insert(position % (len(chars) + 1), extra)
    return "".join(chars)


typing = st.tuples(
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(INVISIBLE), max_size=3),
    st.lists(st.integers(0, 12), min_size=3, max_size=3),
)


@fixtures_ok
@given(case=typing)
def test_a_tracking_code_typed_full_width_or_with_invisible_characters_is_found(case, make_opinion, client):
    wide, lower, extras, positions = case
    RateLimitBucket.objects.all().delete()
    opinion = make_opinion(Opinion.State.ANSWERED, reply="已修复")
    typed = opinion.tracking_code.lower() if lower else opinion.tracking_code
    typed = _sprinkle(typed.translate(FULL_WIDTH) if wide else typed, extras, positions)
    page = client.post("/opinions/track/", {"code": typed})
    assert page.status_code == 200, page.content.decode()[:500]
    assert "已修复" in page.content.decode()


def test_a_code_that_cannot_exist_is_refused_without_counting(make_opinion, client, settings):
    settings.RENDA_OPINION_TRACK_LIMIT = 1
    code = make_opinion().tracking_code
    for _ in range(3):
        bad = client.post("/opinions/track/", {"code": "12345"})
        assert bad.status_code == 200 and "查询码应为10位" in bad.content.decode()
    assert client.post("/opinions/track/", {"code": code}).status_code == 200


@fixtures_ok
@given(case=typing)
def test_a_station_code_typed_full_width_opens_the_form(case, stations, client):
    wide, upper, extras, positions = case
    code = stations["village"].public_code
    typed = code.upper() if upper else code
    typed = _sprinkle(
        typed.translate(FULL_WIDTH) if wide else typed, [e for e in extras if e != "-"], positions
    )
    from renda.network.selectors import station_public_get

    assert station_public_get(code=typed) == stations["village"]


pasted = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs", "Cc"]),
        st.sampled_from(["\x07", "\x0b", "\x1b", "\x7f", "\r", "\t", "\n", "\u200b", "𠮷"]),
    ),
    min_size=1,
    max_size=80,
)


@fixtures_ok
@given(content=pasted)
def test_the_qr_form_stores_pasted_text_without_control_characters(content, stations, client):
    Opinion.objects.all().delete()
    RateLimitBucket.objects.all().delete()
    response = client.post(
        stations["village"].opinion_path, {"content": "意见：" + content, "category": "other"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    stored = Opinion.objects.get()
    assert not any(
        (c < " " and c not in "\t\n") or "\x7f" <= c <= "\x9f" for c in stored.content + stored.title
    )
    assert "\n" not in stored.title
