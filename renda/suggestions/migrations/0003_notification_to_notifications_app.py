"""Notifications move to their own app (renda.notifications); the table and its rows are kept there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0002_suggestion_public_title"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],  # notifications' 0001 takes the table over
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
