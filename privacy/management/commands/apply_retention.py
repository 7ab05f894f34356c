from django.conf import settings
from django.core.management.base import BaseCommand

from privacy import erasure


class Command(BaseCommand):
    help = (
        "Pseudonymise bookings, their partner calls and messages, and remove directory patients, "
        "past PATIENT_DATA_RETENTION_DAYS. --dry-run counts what would change and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count per table; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = erasure.retention_cutoff()
        changes = erasure.apply_retention(dry_run=dry_run)
        verb = "Would change" if dry_run else "Changed"
        self.stdout.write(
            f"{verb} the data of appointments (or, without one, bookings made) before {cutoff:%Y-%m-%d} "
            f"({settings.PATIENT_DATA_RETENTION_DAYS} days):"
        )
        for table, rows in changes.as_dict().items():
            self.stdout.write(f"  {table}: {rows}")
