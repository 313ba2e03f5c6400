from django.contrib import admin
from django.urls import include, path

from portal.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("exams.payments.urls")),
    path("", include("certificates.urls")),
    path("", include("portal.urls")),
]
