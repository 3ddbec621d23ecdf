"""The facts the statistics count, stored on the suggestion (issue 15 §4), and their backfill from
the reply and evaluation rows: one set-based UPDATE per column (no Python loop per row), each row
reading its own reply or evaluation through the (suggestion, round) unique index."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def backfill(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Reply = apps.get_model("suggestions", "Reply")
    Evaluation = apps.get_model("suggestions", "Evaluation")
    first = Reply.objects.filter(suggestion=OuterRef("pk"), round=1)
    Suggestion.objects.filter(Exists(first)).update(first_reply_on_time=Subquery(first.values("on_time")[:1]))
    last = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    Suggestion.objects.filter(Exists(last)).update(last_reply_category=Subquery(last.values("category")[:1]))
    evaluation = Evaluation.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    Suggestion.objects.filter(Exists(evaluation)).update(
        last_evaluation_result=Subquery(evaluation.values("result")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0007_co_input_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='suggestion',
            name='first_reply_on_time',
            field=models.BooleanField(blank=True, editable=False, null=True, verbose_name='首次答复按期'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='last_evaluation_result',
            field=models.CharField(blank=True, editable=False, max_length=12, verbose_name='最新评价结果'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='last_reply_category',
            field=models.CharField(blank=True, editable=False, max_length=1, verbose_name='最新答复类别'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
