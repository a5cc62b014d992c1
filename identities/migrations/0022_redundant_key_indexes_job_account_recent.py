"""Three foreign keys lose their own index, each covered by a composite index that leads with
the same column (draft_variation_unique, instruction_index_unique, the job's (account, status)
index): a create wrote eight to ten index entries it never read. The job gains (account,
-created_at), for an account's jobs newest first and the rate limit's last minute.

Only the indexes are dropped (not the foreign keys re-made, as an AlterField would, which
re-checks every row of the table): the same names on PostgreSQL and SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, field, the model it points to, related name, table, column, the index Django made)
UNINDEXED = [
    (
        "draft",
        "instruction",
        "identities.instruction",
        "drafts",
        "identities_draft",
        "instruction_id",
        "identities_draft_instruction_id_0f366660",
    ),
    (
        "instruction",
        "job",
        "identities.job",
        "instructions",
        "identities_instruction",
        "job_id",
        "identities_instruction_job_id_d1a3355a",
    ),
    (
        "job",
        "account",
        "accounts.account",
        "jobs",
        "identities_job",
        "account_id",
        "identities_job_account_id_85d4ccc0",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_ledger_account_index_shared"),
        ("identities", "0021_serving"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=name,
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=related,
                        to=to,
                    ),
                )
                for model, name, to, related, _, _, _ in UNINDEXED
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for *_, table, column, index in UNINDEXED
            ],
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["account", "-created_at"], name="job_account_recent"),
        ),
    ]
