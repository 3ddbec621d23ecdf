"""Chinese first: the browser's language does not switch the site; the user's explicit choice does."""


def test_chinese_whatever_the_browser_says(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in response.content.decode()


def test_switching_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    english = client.get("/accounts/login/")
    assert english["Content-Language"] == "en" and "Sign in" in english.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "zh-hans"
