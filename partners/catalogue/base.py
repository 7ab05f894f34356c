"""What every catalogue sync reports, and how old a mirrored catalogue is."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince


@dataclass
class SyncReport:
    partner_code: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "partner": self.partner_code,
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "errors": self.errors,
        }

    def summary(self) -> str:
        counts = f"{self.created} new, {self.updated} updated, {self.deactivated} no longer listed"
        return counts if self.ok else f"{counts}; {'; '.join(self.errors)}"


@dataclass(frozen=True)
class CatalogueAge:
    """How fresh the mirrored catalogue a page shows is, for the "updated … ago" line."""

    synced_at: datetime.datetime | None
    now: datetime.datetime

    @property
    def is_empty(self) -> bool:
        return self.synced_at is None

    @property
    def is_stale(self) -> bool:
        # Older than two missed syncs: something keeps the beat task from refreshing it.
        limit = datetime.timedelta(seconds=2 * settings.CATALOGUE_SYNC_INTERVAL_SECONDS)
        return self.synced_at is None or self.now - self.synced_at > limit

    @property
    def label(self) -> str:
        if self.synced_at is None:
            return "never synced"
        if self.now - self.synced_at < datetime.timedelta(minutes=1):
            return "updated just now"
        return f"updated {timesince(self.synced_at, self.now)} ago"


def catalogue_age(synced_at: datetime.datetime | None, *, now: datetime.datetime | None = None) -> CatalogueAge:
    return CatalogueAge(synced_at=synced_at, now=now or timezone.now())
