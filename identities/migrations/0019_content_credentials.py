# Owned by helper H6 during the parallel session; filled in by hand (see /tmp/coord/PREAMBLE.md).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identities", "0018_consent_records")]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="reference_leak",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="draft",
            name="reference_similarity",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="instruction",
            name="read_from",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
