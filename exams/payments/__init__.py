"""Payments: providers behind one small interface, webhooks, reconciliation and refunds.

Where things are:

- ``services.py`` — the operations: ``payment_start``, ``payment_sync``, ``payment_refund``,
  ``payments_reconcile``, ``webhook_receive``, ``invoice_mark_paid``, ``payments_cancel_open``.
- ``models.py`` — ``Payment`` (with ``next_status``, the state machine), ``PaymentEvent`` (status log),
  ``Refund``, ``WebhookEvent`` (every webhook received).
- ``providers/`` — ``base.PaymentProvider`` and the registry (``get_provider``): ``testpsp`` (built-in,
  in-process), ``mollie`` (the official client), ``invoice``.
- ``testpsp/`` — the built-in test PSP: its own tables, services, a Mollie-shaped API and a checkout page.
- ``api.py`` (under /api/v1/), ``views.py`` + ``urls.py`` (under /payments/), ``tasks.py``, ``admin.py``.
"""
