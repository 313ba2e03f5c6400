"""Pages under /payments/: the test PSP's Mollie-shaped API and its checkout page."""

from django.urls import path

from .testpsp import views as psp

app_name = "payments"

urlpatterns = [
    path("test-psp/v2/payments", psp.payments, name="testpsp_payments"),
    path("test-psp/v2/payments/<str:payment_id>", psp.payment, name="testpsp_payment"),
    path("test-psp/v2/payments/<str:payment_id>/refunds", psp.refunds, name="testpsp_refunds"),
    path("test-psp/v2/payments/<str:payment_id>/webhooks/release", psp.deliveries_release,
         name="testpsp_release"),
    path("test-psp/checkout/<str:payment_id>/", psp.checkout, name="testpsp_checkout"),
]
