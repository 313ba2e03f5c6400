from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "exams.payments"
    label = "payments"
    verbose_name = "Payments"
