"""The demo seeders of duty reports and the dossier on the small test county: they run, are
idempotent, and leave reports in every state and a dossier with sessions, reports and commendations."""

import io

from renda.deputies.services import deputy_create, mandate_create
from renda.dossier import demo as dossier_demo
from renda.dossier import selectors as dossier
from renda.duty_reports import demo
from renda.duty_reports.models import DutyReport


def test_demo_seeders(serving, congress, regions, users):
    for name in ["赵一", "钱二", "孙三"]:
        extra = deputy_create(name=name, gender="male", region=regions["jiuyi"])
        mandate_create(deputy=extra, congress=congress)
    out = io.StringIO()
    for _ in range(2):
        demo.seed(stdout=out)
        dossier_demo.seed(stdout=out)
    states = sorted(DutyReport.objects.values_list("state", flat=True))
    assert states == ["closed", "closed", "scheduled", "voting"]
    wang_report = DutyReport.objects.get(deputy=serving["wang"])
    assert wang_report.result == "称职" and wang_report.vote_codes.filter(used_at__isnull=False).count() == 8
    assert DutyReport.objects.filter(rectification_required=True).count() == 1
    built = dossier.dossier_build(
        deputy=serving["wang"], mandate=dossier.dossier_mandate(deputy=serving["wang"], mandate_id=None)
    )
    sections = {key: entries for key, _t, entries in built.sections}
    assert len(sections["meetings"]) == 3 and len(sections["duty_reports"]) == 1
    assert [e.record.title for e in sections["commendations"]] == ["2024年度优秀县人大代表"]
