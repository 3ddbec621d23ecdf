"""Close the attendance of finished activities: invitees with neither check-in nor approved leave
become absent (无故缺席). Run it hourly or daily; running it again changes nothing."""

from django.core.management.base import BaseCommand

from renda.activities.services import absences_mark


class Command(BaseCommand):
    help = "结束已结束活动的考勤：未签到且未准假的受邀代表记为无故缺席（可重复运行）"

    def handle(self, *args, **options):
        done = absences_mark()
        self.stdout.write(
            f"结束考勤的活动 {done['activities']} 个，记为无故缺席 {done['absent']} 人次，"
            f"失败 {done['failed']} 个"
        )
