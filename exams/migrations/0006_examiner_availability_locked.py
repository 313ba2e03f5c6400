from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0005_planningrun"),
    ]

    operations = [
        migrations.AddField(
            model_name="examiner",
            name="availability_locked",
            field=models.BooleanField(default=False, help_text="Set by planners before a planning deadline: the examiner can no longer change it."),
        ),
    ]
