"""The ledger entry's account key loses its own index, covered by the (account, -created_at)
one that leads with it: each credit change wrote an index entry never read. Only the index is
dropped (an AlterField would re-make the foreign key, re-checking every row)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "accounts_creditentry_account_id_5da1dcec"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="creditentry",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ledger",
                        to="accounts.account",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{INDEX}" ON "accounts_creditentry" ("account_id")'
                    ),
                ),
            ],
        ),
    ]
