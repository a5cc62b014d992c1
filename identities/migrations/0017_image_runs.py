# Owned by helper H1 during the parallel session; filled in by hand (see /tmp/coord/PREAMBLE.md).
# Image runs (issue 13): ImageRun and its RunOutputs.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import identities.models.runs


class Migration(migrations.Migration):
    dependencies = [("identities", "0016_render_details")]

    operations = [
        migrations.CreateModel(
            name="ImageRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "public_id",
                    models.CharField(
                        default=identities.models.runs.new_run_id,
                        editable=False,
                        max_length=40,
                        unique=True,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("api", "API"), ("web", "Web")], default="api", max_length=8
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("starting", "Starting"),
                            ("in_queue", "In queue"),
                            ("processing", "Processing"),
                            ("completed", "Completed"),
                            ("failed", "Failed"),
                            ("canceled", "Canceled"),
                            ("time_out", "Timed out"),
                        ],
                        default="in_queue",
                        max_length=16,
                    ),
                ),
                ("inputs", models.JSONField(default=dict)),
                ("references", models.JSONField(blank=True, default=dict)),
                ("prompt", models.TextField()),
                ("engine", models.CharField(max_length=32)),
                ("resolution", models.CharField(max_length=2)),
                ("generation_mode", models.CharField(max_length=8)),
                ("aspect_ratio", models.CharField(max_length=5)),
                ("output_format", models.CharField(max_length=4)),
                ("seed", models.BigIntegerField()),
                ("num_images", models.PositiveSmallIntegerField()),
                ("face_locked", models.BooleanField(default=False)),
                ("return_base64", models.BooleanField(default=False)),
                ("credits", models.PositiveIntegerField()),
                ("error_name", models.CharField(blank=True, max_length=40)),
                ("error_message", models.TextField(blank=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("lease_until", models.DateTimeField(blank=True, null=True)),
                (
                    "worker",
                    models.CharField(
                        blank=True, help_text="host:pid of the last claim", max_length=80
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("purged_at", models.DateTimeField(blank=True, null=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="image_runs",
                        to="accounts.account",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "identity",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="image_runs",
                        to="identities.identity",
                    ),
                ),
                (
                    "reservation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="image_run",
                        to="accounts.creditreservation",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="RunOutput",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("index", models.PositiveSmallIntegerField()),
                ("image", models.FileField(blank=True, max_length=255, upload_to="runs/%Y/%m/")),
                ("data_uri", models.TextField(blank=True)),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("seed", models.BigIntegerField()),
                ("engine", models.CharField(max_length=32)),
                ("face_similarity", models.FloatField(blank=True, null=True)),
                ("face_drift", models.BooleanField(default=False)),
                ("details", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outputs",
                        to="identities.imagerun",
                    ),
                ),
            ],
            options={
                "ordering": ["run", "index"],
            },
        ),
        migrations.AddIndex(
            model_name="imagerun",
            index=models.Index(fields=["account", "status"], name="identities__account_b95e6d_idx"),
        ),
        migrations.AddIndex(
            model_name="imagerun",
            index=models.Index(
                fields=["status", "lease_until"], name="identities__status_e21c08_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="imagerun",
            index=models.Index(
                fields=["identity", "-created_at"], name="identities__identit_710bb0_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="imagerun",
            constraint=models.CheckConstraint(
                condition=models.Q(("num_images__gte", 1), ("num_images__lte", 4)),
                name="image_run_1_to_4_images",
            ),
        ),
        migrations.AddConstraint(
            model_name="imagerun",
            constraint=models.CheckConstraint(
                condition=models.Q(("seed__gte", 0), ("seed__lte", 4294967295)),
                name="image_run_seed_32_bits",
            ),
        ),
        migrations.AddConstraint(
            model_name="runoutput",
            constraint=models.UniqueConstraint(
                fields=("run", "index"), name="run_output_index_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="runoutput",
            constraint=models.CheckConstraint(
                condition=models.Q(("index__gte", 0), ("index__lte", 3)),
                name="run_output_index_0_to_3",
            ),
        ),
        migrations.AddConstraint(
            model_name="runoutput",
            constraint=models.CheckConstraint(
                condition=models.Q(("image", ""), ("data_uri", ""), _connector="OR"),
                name="run_output_file_or_data_uri",
            ),
        ),
    ]
