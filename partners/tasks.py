"""Celery tasks of the partners app."""

from celery import shared_task

from partners.catalogue import sync_all_catalogues


@shared_task(name="partners.tasks.sync_catalogues")
def sync_catalogues() -> list[dict]:
    """Mirror every registered partner catalogue (beat: ``sync-catalogues``)."""
    return [report.as_dict() for report in sync_all_catalogues()]
