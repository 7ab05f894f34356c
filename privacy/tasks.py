"""Celery beat's daily retention run."""

import logging

from celery import shared_task

from privacy import erasure

logger = logging.getLogger(__name__)


# Each batch commits on its own: a run stopped by the time limit is taken up by the next one.
@shared_task(name="privacy.tasks.apply_retention", soft_time_limit=30 * 60, time_limit=35 * 60)
def apply_retention() -> dict[str, int]:
    changes = erasure.apply_retention()
    logger.info("Retention applied: %s", changes.as_dict())
    return changes.as_dict()
