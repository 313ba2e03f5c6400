import exams.uploads
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_notifications"),
    ]

    operations = [
        migrations.AlterField(
            model_name="provision",
            name="evidence",
            field=models.FileField(blank=True, max_length=200, upload_to=exams.uploads.evidence_path),
        ),
    ]
