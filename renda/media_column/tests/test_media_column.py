"""The media column: sanitising (a <script> never survives), images checked and shrunk, public pages
at phone size, the deputy's record page, scoping, query counts, the API."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renda.core.errors import DomainError
from renda.media_column import services
from renda.media_column.models import Article
from renda.media_column.sanitize import clean_body

pytestmark = pytest.mark.django_db

EVIL = (
    '<p onclick="steal()">纪念全国人民代表大会成立70周年<script>alert("x")</script></p>'
    '<img src="https://evil.example/t.gif" onerror="alert(1)">'
    '<a href="javascript:alert(1)">链接</a><style>body{display:none}</style>'
    '<iframe src="https://evil.example"></iframe><p><strong>代表</strong>风采</p>'
)


def _png(width=2400, height=1200, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 40) if mode == "RGB" else (200, 30, 40, 128)).save(
        buffer, "PNG"
    )
    return buffer.getvalue()


def _jpeg(width=800, height=600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 80, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def article(regions, users, deputies):
    return services.article_create(
        actor=users["county_staff"],
        region=regions["county"],
        title="大方县隆重纪念全国人民代表大会成立70周年",
        body="<p>2024年9月15日，县人大常委会召开座谈会。</p>",
        published_on=datetime.date(2024, 9, 15),
        source="大方县人大常委会办公室",
        author="县人大常委会办公室",
        deputies=[deputies["wang"]],
    )


def test_script_in_the_body_is_cleaned(regions, users):
    article = services.article_create(
        actor=users["county_staff"],
        region=regions["county"],
        title="测试",
        body=EVIL,
        published_on=datetime.date(2024, 9, 15),
        source="县人大常委会办公室",
    )
    body = article.body
    for bad in ("<script", "alert", "onclick", "onerror", "javascript:", "<style", "<iframe", "evil.example"):
        assert bad not in body, bad
    assert "纪念全国人民代表大会成立70周年" in body and "<strong>代表</strong>" in body
    # Editing goes through the same cleaner.
    services.article_update(article=article, data={"body": "<p>改<script>x()</script></p>"})
    article.refresh_from_db()
    assert article.body == "<p>改</p>"


def test_only_this_sites_images_survive():
    assert clean_body('<img src="/news/images/12/" alt="a" width="800">') == (
        '<img src="/news/images/12/" alt="a" width="800">'
    )
    assert "src" not in clean_body('<img src="/media/articles/x.png">')
    assert "width" not in clean_body('<img src="/news/images/1/" width="100%;x">')


def test_a_body_of_nothing_but_script_is_refused(regions, users):
    with pytest.raises(DomainError) as exc:
        services.article_create(
            region=regions["county"],
            title="空",
            body="<script>alert(1)</script>",
            published_on=datetime.date(2024, 9, 1),
            source="办公室",
        )
    assert exc.value.field == "body"
    assert not Article.objects.exists()


def test_image_is_checked_and_shrunk(article):
    image = services.article_image_add(
        article=article, upload=SimpleUploadedFile("a.png", _png()), caption="座谈会现场"
    )
    assert (image.width, image.height) == (1600, 800) and image.content_type == "image/jpeg"
    with image.file.open("rb") as stored:
        assert Image.open(stored).size == (1600, 800)
    article.refresh_from_db()
    assert f'<img src="/news/images/{image.pk}/"' in article.body and "座谈会现场" in article.body
    transparent = services.article_image_add(
        article=article, upload=SimpleUploadedFile("t.png", _png(100, 100, "RGBA")), insert=False
    )
    assert transparent.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.jpg", b"MZ\x90\x00 not an image at all", "格式不支持"),
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "已损坏"),
        ("x.jpg", b"GIF89a" + _jpeg()[6:], "已损坏"),
    ],
)
def test_bad_images_are_refused(article, name, data, message):
    with pytest.raises(DomainError) as exc:
        services.article_image_add(article=article, upload=SimpleUploadedFile(name, data))
    assert message in exc.value.message and exc.value.field == "image"
    assert not article.images.exists()


def test_public_pages_and_publishing(article, users, client, deputies):
    assert client.get(f"/news/{article.pk}/").status_code == 404  # a draft is not public
    image = services.article_image_add(article=article, upload=SimpleUploadedFile("a.jpg", _jpeg()))
    assert client.get(f"/news/images/{image.pk}/").status_code == 404
    client.force_login(users["county_staff"])
    assert client.get(f"/news/images/{image.pk}/").status_code == 200  # staff preview the draft's image
    assert client.post(f"/media-column/{article.pk}/publish/").status_code == 302
    client.logout()
    listing = client.get("/news/").content.decode()
    assert "大方县隆重纪念全国人民代表大会成立70周年" in listing
    assert 'name="viewport" content="width=device-width' in listing
    page = client.get(f"/news/{article.pk}/").content.decode()
    assert "县人大常委会召开座谈会" in page and "王芳" in page
    response = client.get(f"/news/images/{image.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # The article shows on 王芳's record page.
    client.force_login(users["county_staff"])
    detail = client.get(f"/deputies/{deputies['wang'].pk}/").content.decode()
    assert "宣传报道" in detail and f'href="/news/{article.pk}/"' in detail
    # Withdrawn: gone from the public site, and a reason is required.
    response = client.post(f"/media-column/{article.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    client.post(f"/media-column/{article.pk}/withdraw/", {"reason": "信息有误"})
    client.logout()
    assert client.get(f"/news/{article.pk}/").status_code == 404


def test_staff_pages_scoping(article, users, client):
    for username in ("township_staff", "deputy", "unit", "leader"):
        client.force_login(users[username])
        assert client.get("/media-column/").status_code == 404, username
        assert client.get(f"/media-column/{article.pk}/").status_code == 404, username
    client.force_login(users["county_staff"])
    assert client.get(f"/media-column/{article.pk}/").status_code == 200


def test_create_through_the_page(users, deputies, client):
    client.force_login(users["county_staff"])
    response = client.post(
        "/media-column/new/",
        {
            "title": "代表风采",
            "published_on": "2024-09-10",
            "source": "大方县人大常委会办公室",
            "body": "<p>内容</p><script>alert(1)</script>",
            "deputies": [deputies["li"].pk],
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body == "<p>内容</p>" and list(article.deputies.all()) == [deputies["li"]]


def test_list_query_counts(regions, users, client, django_assert_max_num_queries):
    for n in range(25):
        a = services.article_create(
            region=regions["county"],
            title=f"第{n}篇",
            body="<p>正文</p>",
            published_on=datetime.date(2024, 9, 1),
            source="办公室",
        )
        services.article_publish(article=a)
    with django_assert_max_num_queries(4):
        assert client.get("/news/").status_code == 200
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(8):
        assert client.get("/media-column/").status_code == 200


def test_api(article, client):
    services.article_publish(article=article)
    listing = client.get("/api/v1/articles").json()
    assert listing["count"] == 1 and listing["items"][0]["url"] == f"/news/{article.pk}/"
    detail = client.get(f"/api/v1/articles/{article.pk}").json()
    assert detail["deputies"][0]["name"] == "王芳" and "<p>" in detail["body_html"]


def _activity(region, title, users, *, name="大方县人大常委会"):
    from django.utils import timezone

    from renda.activities.services import activity_create
    from renda.organizations.models import Organization

    organizer = Organization.objects.create(
        name=name, kind=Organization.Kind.STANDING_COMMITTEE, region=region
    )
    starts = timezone.now() - datetime.timedelta(days=3)
    return activity_create(
        actor=None,
        kind="inspection",
        title=title,
        organizer=organizer,
        place="黄泥塘镇",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )


def test_an_article_names_its_activities_and_the_public_page_shows_them(article, regions, users, client):
    inspection = _activity(regions["county"], "视察农村公路建设", users)
    client.force_login(users["county_staff"])
    assert client.get(f"/media-column/{article.pk}/").status_code == 200
    found = client.get("/pick/media-activity/", {"q": "视察", "field": "activities", "multiple": "1"})
    assert "视察农村公路建设" in found.content.decode()  # offered in the picker
    services.article_update(article=article, data={}, activities=[inspection])
    services.article_publish(article=article)
    assert list(inspection.articles.all()) == [article]
    client.logout()
    page = client.get(f"/news/{article.pk}/").content.decode()
    assert "相关活动：视察农村公路建设" in page


def test_an_activity_outside_the_articles_region_is_refused(article, regions, users):
    elsewhere = _activity(regions["other_county"], "外县视察", users, name="外县人大常委会")
    with pytest.raises(DomainError) as refused:
        services.article_update(article=article, data={}, activities=[elsewhere])
    assert refused.value.field == "activities" and "外县视察" in refused.value.message
    assert not article.activities.exists()
