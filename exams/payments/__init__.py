"""Payments: providers behind one small interface, webhooks, reconciliation and refunds."""
