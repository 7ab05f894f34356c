# The day totals' triggers were installed here by code imported from the application, which
# later changed; migration 0007 now declares them (django-pgtrigger) and removes these.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bookings", "0005_booking_day_totals")]

    operations = []
