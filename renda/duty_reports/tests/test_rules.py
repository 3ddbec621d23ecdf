"""The evaluation rule's edit pages: ballot options, thresholds → result and the rectification rule
as fields, checked like the service (thresholds from high to low, 0–100 %, the last at 0), used by
the tally; a rule whose ballot was used is not changed; staff edit their own jurisdiction's rules."""

import pytest
from django.urls import reverse

from renda.audit.models import AuditEntry
from renda.duty_reports import services
from renda.duty_reports.models import EvaluationRule


def post_data(**over):
    data = {
        "name": "本镇称职测评",
        "options": "称职\n基本称职\n不称职",
        "measure_options": "称职",
        "band_0_percent": "60", "band_0_result": "称职",
        "band_1_percent": "40", "band_1_result": "基本称职",
        "band_2_percent": "0", "band_2_result": "不称职",
        "rectify_option": "不称职", "rectify_over_percent": "50", "rectify_days": "20",
    }  # fmt: skip
    data.update(over)
    return data


def test_staff_create_and_edit_a_rule_that_the_tally_then_uses(rule, report, users, client):
    client.force_login(users["county_staff"])
    assert "称职测评" in client.get(reverse("duty_reports:rules")).content.decode()
    edit = reverse("duty_reports:rule_edit", args=[rule.pk])
    page = client.get(edit).content.decode()
    assert 'value="80' in page and "不称职" in page
    # 70 % 称职: 基本称职 under the preset's 80 % line.
    assert services.tally_result(rule, {"称职": 7, "不称职": 3}).result == "基本称职"
    response = client.post(edit, post_data())
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.bands[0] == {"min_percent": 60.0, "result": "称职"} and rule.rectify_days == 20
    assert services.tally_result(rule, {"称职": 7, "不称职": 3}).result == "称职"
    # Exactly on the 40 % line reaches it; more than half 不称职 asks for rectification.
    result = services.tally_result(rule, {"称职": 4, "不称职": 6})
    assert result.result == "基本称职" and result.rectification
    assert AuditEntry.objects.filter(action="duty_report.rule_update", object_id=str(rule.pk)).exists()
    response = client.post(reverse("duty_reports:rule_create"), post_data(name="满意度（新）",
        options="满意\n基本满意\n不满意", measure_options="满意、基本满意", rectify_option="不满意",
        band_0_result="满意", band_1_result="基本满意", band_2_result="不满意"))  # fmt: skip
    assert response.status_code == 302
    created = EvaluationRule.objects.get(name="满意度（新）")
    assert created.measure_options == ["满意", "基本满意"] and created.region == users["county_staff"].region


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"band_1_percent": "70"}, "结果档次须按比例从高到低排列且不能重复"),
        ({"band_0_percent": "120"}, "100"),
        ({"band_2_percent": "10"}, "最后一个档次的比例须为0"),
        ({"band_1_result": ""}, "第2档须同时填写比例和结果"),
        ({"measure_options": "优秀"}, "计算比例的选项必须是票面选项之一"),
        ({"rectify_option": "很差"}, "需整改的选项必须是票面选项之一"),
        ({"rectify_over_percent": "101"}, "100"),
        ({"options": "称职"}, "票面选项至少两项"),
    ],
)
def test_a_bad_rule_is_refused_with_the_field_named_and_nothing_changed(rule, users, client, over, message):
    client.force_login(users["county_staff"])
    before = (rule.options, rule.bands, rule.rectify_option, rule.rectify_over_percent)
    response = client.post(reverse("duty_reports:rule_edit", args=[rule.pk]), post_data(**over))
    assert response.status_code == 400 and message in response.content.decode()
    rule.refresh_from_db()
    assert (rule.options, rule.bands, rule.rectify_option, rule.rectify_over_percent) == before


def test_a_used_rule_is_not_changed_and_others_rules_are_not_found(rule, voting, users, client):
    client.force_login(users["county_staff"])
    response = client.post(reverse("duty_reports:rule_edit", args=[rule.pk]), post_data())
    assert response.status_code == 400 and "该测评规则已用于测评，不能修改" in response.content.decode()
    rule.refresh_from_db()
    assert rule.bands[0]["min_percent"] == 80
    # The county's rule is listed for township staff (their reports use it) but is not theirs to edit.
    client.force_login(users["township_staff"])
    assert "称职测评" in client.get(reverse("duty_reports:rules")).content.decode()
    assert client.get(reverse("duty_reports:rule_edit", args=[rule.pk])).status_code == 404
    for name in ("deputy", "unit"):
        client.force_login(users[name])
        assert client.get(reverse("duty_reports:rules")).status_code == 404
