"""Every examiner has a calendar-feed key from the start (a new examiner gets one as they are made), so
reading their duties never has to write one; examiners of before without a key get theirs here."""

import secrets

from django.db import migrations, models

import exams.models.staff


def keys_for_everyone(apps, schema_editor):
    Examiner = apps.get_model("exams", "Examiner")
    for examiner in Examiner.objects.filter(feed_key__isnull=True).only("pk"):
        examiner.feed_key = secrets.token_urlsafe(32)
        examiner.save(update_fields=["feed_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0018_location_region_from_city"),
    ]

    operations = [
        migrations.AlterField(
            model_name="examiner",
            name="feed_key",
            field=models.CharField(blank=True, default=exams.models.staff.new_feed_key, editable=False,
                                   help_text="The secret in the examiner's calendar-feed link; a new one makes "
                                             "the old link stop working.",
                                   max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(keys_for_everyone, migrations.RunPython.noop),
    ]
