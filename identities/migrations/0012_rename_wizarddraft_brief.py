"""`WizardDraft` becomes `Brief`: "draft" now means only an image a job made.

The table is renamed with the model (identities_wizarddraft → identities_brief); rows, ids and
the one-open-brief constraint stay as they are. The account's reverse accessor follows the name.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identities", "0010_task_paths")]

    operations = [
        migrations.RenameModel("WizardDraft", "Brief"),
        migrations.AlterField(
            model_name="brief",
            name="account",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="briefs",
                to="accounts.account",
            ),
        ),
    ]
