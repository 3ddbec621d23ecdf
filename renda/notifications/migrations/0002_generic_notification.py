"""Any app's notification: the table takes this app's name, each row gets a kind and a link (the
suggestion it was about becomes its page's path), and the once-only key becomes optional."""

from django.db import migrations, models


def suggestion_to_url(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.filter(suggestion__isnull=False).only("pk", "suggestion_id").iterator():
        Notification.objects.filter(pk=row.pk).update(url=f"/suggestions/{row.suggestion_id}/")


def url_to_suggestion(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.filter(url__regex=r"^/suggestions/[0-9]+/$").only("pk", "url").iterator():
        Notification.objects.filter(pk=row.pk).update(suggestion_id=int(row.url.strip("/").split("/")[1]))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AddField(
            model_name="notification",
            name="kind",
            # Every row so far is a suggestion's deadline reminder.
            field=models.CharField(default="suggestion.reminder", max_length=40, verbose_name="类别"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="url",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="链接"),
            preserve_default=False,
        ),
        migrations.RunPython(suggestion_to_url, url_to_suggestion),
        migrations.RemoveField(model_name="notification", name="suggestion"),
        migrations.AlterField(
            model_name="notification",
            name="key",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
    ]
