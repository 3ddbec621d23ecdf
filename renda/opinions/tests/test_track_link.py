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
