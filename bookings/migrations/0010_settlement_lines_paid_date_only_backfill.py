# Lines imported before paid_date_only existed: read each import's stored file again and mark
# the lines whose paid_at cell was a date alone (YYYY-MM-DD), so they stop showing a made-up 00:00.
# Self-contained on purpose: a migration must not change when application code does.

import csv
import io

from django.db import migrations

DATE_LENGTH = len("2026-04-28")


def date_only_lines(content: bytes) -> list[int]:
    try:
        reader = csv.reader(io.StringIO(bytes(content).decode("utf-8-sig"), newline=""))
        header = [name.strip().lower() for name in next(reader)]
        column = header.index("paid_at")
        return [
            reader.line_num
            for cells in reader
            if len(cells) == len(header) and len(cells[column].strip()) == DATE_LENGTH
        ]
    except (UnicodeDecodeError, StopIteration, ValueError, csv.Error):
        return []  # stored files were validated on upload; anything else is left as it was


def backfill(apps, schema_editor):
    SettlementImport = apps.get_model("bookings", "SettlementImport")
    SettlementLine = apps.get_model("bookings", "SettlementLine")
    for pk, content in SettlementImport.objects.values_list("pk", "content").iterator(chunk_size=20):
        if lines := date_only_lines(content):
            SettlementLine.objects.filter(settlement_import_id=pk, line_number__in=lines).update(paid_date_only=True)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0009_patient_language_and_labels")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
