"""The rate-limit counter now belongs to core (renda.core.models.RateLimitBucket); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_opinion_opinion_category_received"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],  # the table lives on as core.RateLimitBucket
            state_operations=[migrations.DeleteModel(name="RateLimitBucket")],
        ),
    ]
