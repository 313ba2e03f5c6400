"""The migrations describe the models as they are: a model change without its migration fails here, not on
the production database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("models changed without a migration:\n" + out.getvalue())


@pytest.mark.django_db
def test_locations_on_caribbean_time_get_their_islands_holidays_from_their_city():
    """Locations made before holidays followed the location: the migration gives each island's its region;
    a city it does not know, and every location on European time, stay as they were."""
    import importlib

    from django.apps import apps

    from exams.models import Location
    from exams.seed.places import Place, upsert_location

    migration = importlib.import_module("exams.migrations.0018_location_region_from_city")
    for code, city in [("BON", "Kralendijk"), ("STA", "Oranjestad"), ("SAB", "The  Bottom"), ("XXX", "Nowhere")]:
        upsert_location(Place(code, code, city, "", 12.0, -68.0, "America/Kralendijk", "BQ"), [])
    upsert_location(Place("AMS", "Amsterdam", "Amsterdam", "1011 AB", 52.4, 4.9), [])
    migration.regions_from_cities(apps, None)
    regions = dict(Location.objects.values_list("code", "region"))
    assert regions == {"BON": "BQ-BO", "STA": "BQ-SE", "SAB": "BQ-SA", "XXX": "", "AMS": ""}
