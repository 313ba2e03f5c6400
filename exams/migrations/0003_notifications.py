from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0002_results_and_idempotency"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=120, unique=True)),
                ("kind", models.CharField(max_length=40)),
                ("email", models.EmailField(max_length=254)),
                ("language", models.CharField(max_length=2)),
                ("subject", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"ordering": ["-created_at"]},
        ),
    ]
