"""Take over suggestions' Notification as it was: the table suggestions_notification and its rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("suggestions", "0003_notification_to_notifications_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],  # the table exists (suggestions' 0001)
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=100)),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("body", models.TextField(blank=True, verbose_name="内容")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="已读时间")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("suggestion", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="suggestions.suggestion")),
                    ],
                    options={
                        "db_table": "suggestions_notification",
                        "verbose_name": "提醒",
                        "verbose_name_plural": "提醒",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["user", "read_at"], name="notice_user_read")],
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="notification_once")],
                    },
                ),
            ],
        ),
    ]
