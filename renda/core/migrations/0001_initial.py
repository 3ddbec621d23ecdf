"""The rate-limit counter moves here from opinions; its table (opinions_ratelimitbucket) and rows stay."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is created by opinions' 0001 and kept under its name (Meta.db_table).
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitBucket",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=100)),
                        ("window", models.BigIntegerField()),
                        ("hits", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "opinions_ratelimitbucket",
                        "indexes": [models.Index(fields=["window"], name="rate_limit_bucket_window")],
                        "constraints": [
                            models.UniqueConstraint(fields=("key", "window"), name="rate_limit_bucket_unique")
                        ],
                    },
                ),
            ],
        ),
    ]
