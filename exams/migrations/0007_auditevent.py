import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0006_examiner_availability_locked"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("actor_id", models.BigIntegerField(blank=True, help_text="User id; no names or e-mails here.", null=True)),
                ("action", models.CharField(db_index=True, max_length=60)),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=60)),
                ("origin", models.CharField(blank=True, help_text="IP address of the request, if any.", max_length=64)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={"ordering": ["pk"]},
        ),
    ]
