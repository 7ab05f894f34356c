"""What every catalogue sync reports, and how old a mirrored catalogue is."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

from partners import credentials
from partners.errors import PartnerError
from partners.models import Credential

logger = logging.getLogger(__name__)
T = TypeVar("T")
Item = TypeVar("Item")


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

    def count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1

    def credential(self, given: Credential | None = None) -> Credential | None:
        """The credential to sync with: ``given``, else the partner's active one (None: noted)."""
        return given or self.fetch("", lambda: credentials.active_credential(self.partner_code))

    def fetch(self, what: str, call: Callable[[], T]) -> T | None:
        """The partner's answer, or None with the failure noted: the sync keeps what it has."""
        try:
            return call()
        except PartnerError as error:
            self.errors.append(f"{what}: {error.partner_message}" if what else error.partner_message)
            logger.warning("%s catalogue sync: %s failed: %r", self.partner_code, what or "credential", error)
            return None

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


def sync_catalogue(
    partner_code: str,
    credential: Credential | None,
    *,
    fetch: Callable[[Credential], list[Item]],
    store: Callable[[Credential, list[Item], SyncReport], None],
    each: Callable[[Credential, Item, SyncReport], None],
) -> SyncReport:
    """A two-level catalogue sync: fetch the list (an adapter call), store it, then sync each item's part.

    With no credential, or when the list cannot be fetched, nothing is stored: the mirrored
    catalogue stays as it was and the report says why (named after the adapter call).
    """
    report = SyncReport(partner_code)
    active = report.credential(credential)
    if active is None:
        return report
    listed = report.fetch(fetch.__name__, lambda: fetch(active))
    if listed is None:
        return report
    store(active, listed, report)
    for item in listed:
        each(active, item, report)
    logger.info("%s catalogue synced: %s", partner_code, report.summary())
    return report


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
            return gettext("never synced")
        if self.now - self.synced_at < datetime.timedelta(minutes=1):
            return gettext("updated just now")
        return gettext("updated %(time)s ago") % {"time": timesince(self.synced_at, self.now)}


def catalogue_age(synced_at: datetime.datetime | None, *, now: datetime.datetime | None = None) -> CatalogueAge:
    return CatalogueAge(synced_at=synced_at, now=now or timezone.now())
