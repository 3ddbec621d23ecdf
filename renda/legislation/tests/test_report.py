"""The .docx summary report: opened with python-docx, its article groups and counts checked."""

import io

import pytest
from docx import Document

from renda.legislation import services


@pytest.fixture
def collected(draft, legislative, users, deputies):
    art = {a.number: a for a in draft.articles.all()}
    add = services.draft_opinion_add
    county = users["county_staff"]
    made = [
        add(
            actor=county,
            draft=draft,
            station=legislative["station"],
            article=art[1],
            contributor_kind="expert",
            contributor_name="贵州大学法学院",
            content="第一条建议增加“保护生态”的立法目的。",
        ),
        add(
            actor=county,
            draft=draft,
            station=legislative["room"],
            article=art[1],
            contributor_kind="resident",
            content="第一条表述清楚。",
        ),
        add(
            actor=county,
            draft=draft,
            station=legislative["room"],
            article=art[3],
            contributor_kind="deputy",
            deputy=deputies["wang"],
            content="收集点每日清运在山区难以做到，建议改为定期清运。",
        ),
        add(
            actor=county,
            draft=draft,
            station=legislative["station"],
            article=None,
            contributor_kind="company",
            content="建议条例对企业参与治理给予激励。",
        ),
    ]
    services.draft_opinion_feedback(actor=county, opinion=made[2], adoption="adopted", note="改为“定期清运”")
    services.draft_opinion_feedback(actor=county, opinion=made[1], adoption="not_adopted")
    return made


def _open(response) -> Document:
    return Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_report_groups_opinions_by_article_with_counts(collected, draft, users, client):
    client.force_login(users["county_staff"])
    response = client.get(f"/legislation/{draft.pk}/report.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    document = _open(response)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、各站点意见情况",
        "二、意见人构成",
        "三、按条文汇总的意见",
        "总体意见（1条意见，采纳0条）",
        "第一条（2条意见，采纳0条）",
        "第三条（1条意见，采纳1条）",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于《贵州省乡村环境治理条例（草案）》征求意见情况的汇总报告" in text
    assert "共收到意见4条，涉及条文2条，总体意见1条；经反馈，已采纳1条。" in text
    assert "1. 【黄泥塘镇基层立法联络室·人大代表·王芳】收集点每日清运在山区难以做到" in text
    assert "（采纳：改为“定期清运”）" in text and "（未采纳）" in text
    assert "其余2条条文未收到意见。" in text
    assert "人大代表1条；专家学者1条；居民群众1条；企业1条。" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["站点", "类型", "意见数", "采纳数"]
    assert sorted(rows[1:-1]) == [
        ["九驿街道基层立法联络站", "基层立法联络站", "2", "0"],
        ["黄泥塘镇基层立法联络室", "乡镇基层立法联络室", "2", "1"],
    ]
    assert rows[-1] == ["合计", "", "4", "1"]


def test_a_township_report_holds_only_its_own_stations(collected, draft, users, client):
    client.force_login(users["township_staff"])
    document = _open(client.get(f"/legislation/{draft.pk}/report.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "共收到意见2条" in text and "九驿" not in text
    assert [[c.text for c in r.cells] for r in document.tables[0].rows][1] == [
        "黄泥塘镇基层立法联络室",
        "乡镇基层立法联络室",
        "2",
        "1",
    ]


def test_report_of_a_draft_without_opinions(draft, users, client):
    client.force_login(users["county_staff"])
    text = "\n".join(p.text for p in _open(client.get(f"/legislation/{draft.pk}/report.docx")).paragraphs)
    assert "共收到意见0条" in text and "未收到意见。" in text and "其余4条条文未收到意见。" in text
