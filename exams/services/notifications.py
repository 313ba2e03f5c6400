"""Messages to candidates and staff, each sent at most once (keyed in the database)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def booking_confirmation_send(*, booking_id: int) -> bool:
    """Placeholder until the confirmation e-mail lands: logs the booking that would be confirmed."""
    logger.info("booking %s confirmed", booking_id)
    return True
