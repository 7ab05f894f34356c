# The day totals' unique key must exist before the triggers upsert on it: a migration of its own,
# since Django creates a new model's indexes at the end of the migration that creates it.

from django.db import migrations

from bookings import day_totals


def install_triggers(apps, schema_editor):
    day_totals.install(schema_editor.connection)


def uninstall_triggers(apps, schema_editor):
    day_totals.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0005_booking_day_totals")]

    operations = [migrations.RunPython(install_triggers, uninstall_triggers)]
