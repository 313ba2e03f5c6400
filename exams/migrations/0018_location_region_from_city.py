"""Locations that existed before holidays followed the location: those on Caribbean time get their island's
region from their city, so a run does not plan them on their island's public holidays. A city this does not
know stays as it was, for a planner to set in the admin site."""

from django.db import migrations

ISLANDS = {
    "BQ-BO": {"kralendijk", "rincon", "antriol", "nikiboko", "noord salinja", "playa", "tera kora"},
    "BQ-SE": {"oranjestad"},
    "BQ-SA": {"the bottom", "windwardside", "st. johns", "saint johns", "zions hill", "hell's gate"},
}


def regions_from_cities(apps, schema_editor):
    Location = apps.get_model("exams", "Location")
    for location in Location.objects.filter(region="", timezone="America/Kralendijk"):
        city = " ".join(location.city.lower().split())
        region = next((code for code, cities in ISLANDS.items() if city in cities), "")
        if region:
            location.region = region
            location.save(update_fields=["region"])


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0017_provision_withdrawn"),
    ]

    operations = [migrations.RunPython(regions_from_cities, migrations.RunPython.noop)]
