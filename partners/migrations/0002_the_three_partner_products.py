from django.db import migrations

PARTNERS = [
    ("sanar_video", "sanar", "Sanar video consultation"),
    ("sanar_vaccination", "sanar", "Sanar kids vaccination"),
    ("sandicare", "sandicare", "Sandicare teleconsult enrollment"),
]


def create_partners(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    for code, vendor, name in PARTNERS:
        Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(create_partners, migrations.RunPython.noop)]
