# Owned by helper H4 during the parallel session; filled in by hand (see /tmp/coord/PREAMBLE.md).
# Existing models (issue 14): the consent record, immutable in the database too, and the photos.
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

# Both databases refuse an UPDATE; PostgreSQL (production) also refuses a row DELETE. SQLite
# keeps DELETE possible and PostgreSQL keeps TRUNCATE, the two ways a test database is flushed
# between tests; in the product the model refuses deletes and the identity's PROTECT keeps it.
TABLE = "identities_consentrecord"
MESSAGE = "consent records are immutable"

SQLITE = [
    f"CREATE TRIGGER consent_record_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS consent_record_no_update",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION consent_record_immutable() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER consent_record_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION consent_record_immutable()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS consent_record_immutable ON {TABLE}",
    "DROP FUNCTION IF EXISTS consent_record_immutable()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation"),
        ("identities", "0017_image_runs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsentRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("statements_version", models.CharField(max_length=32)),
                ("statements", models.JSONField()),
                ("accepted_keys", models.JSONField()),
                ("accepted_by_email", models.EmailField(max_length=254)),
                ("accepted_at", models.DateTimeField()),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("user_agent", models.CharField(blank=True, max_length=500)),
                ("close_up_sha256", models.CharField(max_length=64)),
                ("full_body_sha256", models.CharField(max_length=64)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "identity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consent",
                        to="identities.identity",
                    ),
                ),
            ],
            options={
                "ordering": ["-accepted_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            django.db.models.lookups.Exact(
                                django.db.models.functions.text.Length("close_up_sha256"), 64
                            ),
                            django.db.models.lookups.Exact(
                                django.db.models.functions.text.Length("full_body_sha256"), 64
                            ),
                        ),
                        name="consent_digests_are_sha256",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("statements_version", ""), _negated=True),
                        name="consent_has_statements_version",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ExistingModelPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("close_up", "Close-up"), ("full_body", "Full body")],
                        max_length=16,
                    ),
                ),
                ("file", models.FileField(max_length=255, upload_to="identities/sources/%Y/%m/")),
                ("sha256", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "identity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="source_photos",
                        to="identities.identity",
                    ),
                ),
            ],
            options={
                "ordering": ["kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("identity", "kind"), name="one_source_photo_per_kind"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
