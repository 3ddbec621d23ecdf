"""A constituents' opinion taken up as a deputy's suggestion: linked, and its state follows."""

from renda.opinions.models import Opinion, OpinionEvent
from renda.opinions.services import opinion_create_by_deputy
from renda.suggestions.models import Suggestion


def _opinion(users):
    return opinion_create_by_deputy(
        actor=users["deputy"], title="村道路灯损坏", content="黄泥塘社区主干道路灯损坏多处，夜间出行不便。"
    )


def test_deputy_drafts_a_suggestion_from_their_opinion(users, deputies, regions, client):
    opinion = _opinion(users)
    client.force_login(users["deputy"])
    form = client.get(f"/suggestions/write/?opinion={opinion.pk}")
    assert form.status_code == 200 and "村道路灯损坏" in form.content.decode()
    response = client.post(
        "/suggestions/write/",
        {"opinion": opinion.pk, "title": "关于修复黄泥塘社区路灯的建议", "body": "建议县住建局尽快修复。",
         "category": "construction", "region": regions["huangnitang"].pk, "kind": "suggestion",
         "period": "recess"},
    )  # fmt: skip
    assert response.status_code == 302
    suggestion = Suggestion.objects.get(source_opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.SUGGESTION and opinion.deputy == deputies["wang"]
    assert OpinionEvent.objects.filter(opinion=opinion, to_state="suggestion").count() == 1
    assert suggestion.source == Suggestion.Source.OPINION
    page = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert suggestion.title in page and suggestion.get_state_display() in page


def test_another_deputys_opinion_cannot_be_used(users, deputies, regions, client):
    from renda.accounts.services import user_create
    from renda.deputies.services import deputy_create

    other_user = user_create(username="other_dep", password="Other#Pass2026", role="deputy")
    deputy_create(name="赵敏", gender="female", region=regions["huangnitang"], user=other_user)
    opinion = _opinion(users)
    client.force_login(other_user)
    assert client.get(f"/suggestions/write/?opinion={opinion.pk}").status_code == 404
    assert client.get("/suggestions/write/?opinion=abc").status_code == 404
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.RECEIVED
