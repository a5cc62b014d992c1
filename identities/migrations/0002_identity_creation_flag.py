from django.db import migrations


def seed(apps, schema_editor):
    FeatureFlag = apps.get_model("identities", "FeatureFlag")
    FeatureFlag.objects.get_or_create(name="identity_creation", defaults={"enabled": True})


class Migration(migrations.Migration):
    dependencies = [("identities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
