from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/two-factor/", include("portal.twofactor.urls")),
    path("payments/", include("exams.payments.urls")),
    path("", include("certificates.urls")),
    path("", include("portal.urls")),
]
if settings.OIDC_RP_CLIENT_ID:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
