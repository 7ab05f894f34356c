"""Partner catalogues mirrored in the database, and the registry the beat task syncs.

Each catalogue module exposes a ``sync_*`` function taking an optional credential and
returning a ``SyncReport``; add it to ``CATALOGUE_SYNCS`` to have it synced on schedule.
"""

from django.utils.module_loading import import_string

from partners.catalogue.base import SyncReport

# (partner code, dotted path of its sync function)
CATALOGUE_SYNCS: list[tuple[str, str]] = [
    ("sanar_video", "partners.catalogue.video.sync_video_catalogue"),
    ("sanar_vaccination", "partners.catalogue.vaccination.sync_vaccination_catalogue"),
]


def sync_all_catalogues() -> list[SyncReport]:
    """Sync every registered catalogue; one failing partner does not stop the others."""
    return [import_string(path)() for _code, path in CATALOGUE_SYNCS]
