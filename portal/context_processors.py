from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    return {"DEMO": settings.ENVIRONMENT == "demo", "LANGUAGES": settings.LANGUAGES,
            "OIDC_ENABLED": bool(settings.OIDC_RP_CLIENT_ID), "OIDC_PROVIDER_NAME": settings.OIDC_PROVIDER_NAME}
