from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    return {"DEMO": settings.ENVIRONMENT == "demo", "LANGUAGES": settings.LANGUAGES}
