"""Demo data for the media column: articles of 2024 for the 70th anniversary of the National People's
Congress (15 September 1954 – 2024), and on the year's training, all published; the demo deputy is
named in one of them, so it shows on her record page. Idempotent (by title)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from renda.accounts.models import User
from renda.deputies.models import Deputy
from renda.regions.models import Region

from . import services
from .models import Article

SOURCE = "大方县人大常委会办公室"

ARTICLES = [
    (
        "大方县人大常委会召开庆祝全国人民代表大会成立70周年座谈会",
        datetime.date(2024, 9, 13),
        "县人大常委会办公室",
        "座谈会回顾了人民代表大会制度在大方县的发展历程，老中青代表交流了履职体会。",
        """<p>9月13日，县人大常委会召开庆祝全国人民代表大会成立70周年座谈会。县人大常委会组成人员、
部分县人大代表、乡镇人大主席和街道人大工委主任参加座谈。</p>
<p>会议指出，70年来，人民代表大会制度显示出强大生命力和显著优越性。要坚持好、完善好、运行好
人民代表大会制度，不断发展全过程人民民主。</p>
<h3>代表发言摘要</h3>
<ul><li>“把群众的事当成自己的事，把群众的话带到会上去。”</li>
<li>“联络站就是代表和群众之间的连心桥。”</li></ul>""",
        "linked",
        True,
    ),
    (
        "人民代表大会制度在大方的生动实践——写在全国人民代表大会成立70周年之际",
        datetime.date(2024, 9, 15),
        "县人大常委会研究室",
        "从第一届县人民代表大会到“1+N”代表联络网络，全过程人民民主在大方落地生根。",
        """<p>1954年9月15日，第一届全国人民代表大会第一次会议在北京隆重开幕。七十年来，大方县各级人大
及其常委会依法履职，代表工作不断创新。</p>
<p>目前，全县建成县级代表联络服务中心、乡级代表联络站29个、村级代表联络室和代表之家115个，
<strong>“家站室”全覆盖</strong>，代表进站接待选民成为常态。</p>
<blockquote><p>人民选我当代表，我当代表为人民。</p></blockquote>""",
        "",
        False,
    ),
    (
        "县人大代表赴复旦大学参加履职能力提升专题培训",
        datetime.date(2024, 6, 24),
        "县人大常委会代表工作委员会",
        "6月17日至21日，45名县人大代表在复旦大学参加为期一周的履职能力提升专题培训。",
        """<p>6月17日至21日，大方县人大代表履职能力提升专题培训班在复旦大学举办。培训采取专题授课、
案例教学和现场教学相结合的方式，内容涵盖全过程人民民主、代表建议撰写、预算审查监督等。</p>
<p>参训代表表示，将把学习成果转化为依法履职的实际行动。</p>""",
        "fudan",
        False,
    ),
    (
        "学习兴义经验 提升联络站建设水平",
        datetime.date(2024, 9, 14),
        "县人大常委会代表工作委员会",
        "县人大常委会组织部分代表赴兴义市考察学习代表联络站建设和基层立法联络工作。",
        """<p>9月10日至12日，县人大常委会组织部分县人大代表和乡镇人大主席赴兴义市考察学习，实地察看了
代表联络站、基层立法联络站的建设和运行情况。</p>
<p>考察组认为，要进一步健全代表进站履职制度，推动联络站从“有形覆盖”向“有效覆盖”转变。</p>""",
        "",
        False,
    ),
]


def _banner() -> SimpleUploadedFile:
    """A plain red-and-gold banner (no text: nothing depends on fonts), as a photo stand-in."""
    image = Image.new("RGB", (1200, 500), (179, 35, 42))
    draw = ImageDraw.Draw(image)
    for n in range(5):
        x = 150 + n * 110
        draw.regular_polygon(
            (x, 150 if n == 0 else 110 + n * 25, 60 if n == 0 else 25), 5, fill=(255, 210, 0)
        )
    draw.rectangle((0, 420, 1200, 500), fill=(140, 20, 28))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("banner.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(*, stdout) -> None:
    county = Region.objects.filter(code="520521").first()
    if county is None:
        return
    staff = User.objects.filter(username="county_staff").first()
    linked = list(Deputy.objects.filter(user__username="deputy")[:1])
    fudan = []
    try:
        from renda.training.models import Attendee

        fudan = [
            a.deputy
            for a in Attendee.objects.filter(
                session__title="大方县人大代表履职能力提升专题培训班", deputy__isnull=False
            )
            .select_related("deputy")
            .order_by("id")[:5]
        ]
    except ImportError:
        pass
    made = 0
    existing = set(Article.objects.values_list("title", flat=True))
    for title, published_on, author, summary, body, who, banner in ARTICLES:
        if title in existing:
            continue
        article = services.article_create(
            actor=staff,
            region=county,
            title=title,
            body=body,
            summary=summary,
            published_on=published_on,
            source=SOURCE,
            author=author,
            deputies={"linked": linked, "fudan": fudan}.get(who, []),
        )
        if banner:
            services.article_image_add(actor=staff, article=article, upload=_banner(), caption="座谈会现场")
        services.article_publish(actor=staff, article=article)
        made += 1
    stdout.write(f"宣传专栏：新增文章 {made} 篇")
