"""Pages under /payments/: where providers send the payer back, and the test PSP (API and checkout)."""

from django.urls import path

from . import views
from .testpsp import views as psp

app_name = "payments"

urlpatterns = [
    path("return/<uuid:reference>/", views.payment_return, name="return"),
    path("test-psp/v2/payments", psp.payments, name="testpsp_payments"),
    path("test-psp/v2/payments/<str:payment_id>", psp.payment, name="testpsp_payment"),
    path("test-psp/v2/payments/<str:payment_id>/refunds", psp.refunds, name="testpsp_refunds"),
    path(
        "test-psp/v2/payments/<str:payment_id>/webhooks/release",
        psp.deliveries_release,
        name="testpsp_release",
    ),
    path("test-psp/checkout/<str:payment_id>/", psp.checkout, name="testpsp_checkout"),
]
