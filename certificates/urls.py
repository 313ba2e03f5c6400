from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>", views.verify_code_page, name="verify"),
    path("my/documents/<int:document_id>/<str:language>.pdf", views.download, name="download"),
]
