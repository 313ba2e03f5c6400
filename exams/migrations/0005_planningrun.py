import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0004_evidence_path"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanningRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("family", models.CharField(blank=True, max_length=20)),
                ("date_from", models.DateField()),
                ("date_to", models.DateField()),
                ("location_codes", models.JSONField(blank=True, default=list)),
                ("time_limit", models.PositiveIntegerField()),
                ("seed", models.PositiveIntegerField(default=0)),
                ("status", models.CharField(choices=[("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed"), ("cancelled", "cancelled")], db_index=True, default="queued", max_length=10)),
                ("cancel_requested", models.BooleanField(default=False)),
                ("elapsed", models.FloatField(default=0)),
                ("objective", models.FloatField(blank=True, null=True)),
                ("bound", models.FloatField(blank=True, null=True)),
                ("gap", models.FloatField(blank=True, null=True)),
                ("stage", models.CharField(blank=True, max_length=100)),
                ("solver_status", models.CharField(blank=True, max_length=20)),
                ("snapshot", models.TextField(blank=True, help_text="The scenario given to the solver (JSON).")),
                ("result", models.TextField(blank=True, help_text="The solver's result (JSON).")),
                ("summary", models.JSONField(blank=True, default=dict)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-created_at"]},
        ),
    ]
