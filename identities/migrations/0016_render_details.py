# Owned by helper H2 during the parallel session; filled in by hand (see /tmp/coord/PREAMBLE.md).
# Each render's RenderResult.details (the stylegan W+ latent, not_drawn, non_commercial, ...)
# on its draft, carried to the identity at promotion.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identities", "0015_idempotency_key")]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="render_details",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="identity",
            name="render_details",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
