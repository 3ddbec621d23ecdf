"""The confirmation page's 查看办理进展 link and QR open the tracking page with the code filled in."""

from renda.opinions.models import Opinion


def test_confirmation_link_and_qr_fill_in_the_code(stations, client):
    station = stations["township"]
    response = client.post(f"/o/{station.public_code}/", {"content": "村口路灯坏了", "category": "other"})
    code = Opinion.objects.get().tracking_code
    done = client.get(response["Location"]).content.decode()
    assert f'href="http://testserver/opinions/track/?code={code}"' in done
    assert "<svg" in done and "已填好查询码" in done
    track = client.get(f"/opinions/track/?code={code}").content.decode()
    assert f'value="{code}"' in track
    # Something that is not a code is only text in the box, never markup.
    track = client.get('/opinions/track/?code="><script>').content.decode()
    assert "<script>" not in track.split("<main", 1)[1]


def test_a_code_in_the_link_shows_the_progress_without_a_second_tap(make_opinion, client, settings):
    opinion = make_opinion(Opinion.State.ANSWERED, reply="路灯已于本周修复。")
    page = client.get(f"/opinions/track/?code={opinion.tracking_code.lower()}")
    assert page.status_code == 200 and "路灯已于本周修复。" in page.content.decode()
    # An unknown code in a link reads exactly as it does after a POST.
    missing_get = client.get("/opinions/track/?code=ABCDEFGHJK")
    missing_post = client.post("/opinions/track/", {"code": "ABCDEFGHJK"})
    assert missing_get.status_code == missing_post.status_code == 404
    assert "没有找到这个查询码" in missing_get.content.decode()
    # The lookup limit counts links too, so codes cannot be enumerated by GET.
    settings.RENDA_OPINION_TRACK_LIMIT = 3
    refused = client.get(f"/opinions/track/?code={opinion.tracking_code}")
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    assert "路灯已于本周修复。" not in refused.content.decode()


def test_codes_never_break_mid_code(stations, client):
    """A code is one word: the confirmation page's 查询码 (and every other code) carries the `code`
    class, which keeps it on one line and sizes the big one by the screen, not by 大字."""
    import re
    from pathlib import Path

    from django.conf import settings

    station = stations["township"]
    response = client.post(f"/o/{station.public_code}/", {"content": "村口路灯坏了", "category": "other"})
    done = client.get(response["Location"]).content.decode()
    assert re.search(r'<span class="[^"]*\bcode\b[^"]*" id="tracking-code">', done)
    css = (Path(settings.BASE_DIR) / "static/css/renda.css").read_text()
    rule = re.search(r"\n\.code, code \{([^}]*)\}", css)
    assert rule and "white-space: nowrap" in rule.group(1)
    assert re.search(r"\.stat__value\.code \{ font-size: clamp\([^)]*vw", css)
