"""Image runs: new on-model images of an identity (or of a face reference), the model-create way.

A run is one request (`POST /api/v1/run` or the identity page's Create images) for 1–4 outputs.
It is work that must survive a dying worker, so it keeps its own status, attempts and lease
(`identities.leases`); its credits are one reservation, captured when every output is stored
and released when the run fails.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from identities.models.codes import new_job_id


def new_run_id() -> str:
    return new_job_id("run")


class ImageRun(models.Model):
    # The reference's statuses, in its words: clients branch on them.
    STARTING = "starting"
    IN_QUEUE = "in_queue"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"
    TIME_OUT = "time_out"
    STATUS_CHOICES = [
        (STARTING, "Starting"),
        (IN_QUEUE, "In queue"),
        (PROCESSING, "Processing"),
        (COMPLETED, "Completed"),
        (FAILED, "Failed"),
        (CANCELED, "Canceled"),
        (TIME_OUT, "Timed out"),
    ]
    ACTIVE = (STARTING, IN_QUEUE, PROCESSING)
    FINAL = (COMPLETED, FAILED, CANCELED, TIME_OUT)

    API = "api"
    WEB = "web"
    SOURCE_CHOICES = [(API, "API"), (WEB, "Web")]

    public_id = models.CharField(max_length=40, unique=True, default=new_run_id, editable=False)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="image_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=8, choices=SOURCE_CHOICES, default=API)
    identity = models.ForeignKey(
        "identities.Identity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="image_runs",
    )
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=IN_QUEUE)
    # The normalized inputs (references replaced by what they are: "identity", "data-uri", "url").
    inputs = models.JSONField(default=dict)
    # The reference images as sent (URL or data-URI), read by the worker and cleared when the
    # run ends: we keep what we made, not what a client showed us.
    references = models.JSONField(default=dict, blank=True)
    prompt = models.TextField()
    engine = models.CharField(max_length=32)
    resolution = models.CharField(max_length=2)  # as rendered: "1k" | "2k" | "4k"
    generation_mode = models.CharField(max_length=8)  # resolved: fast | balanced | quality
    aspect_ratio = models.CharField(max_length=5)
    output_format = models.CharField(max_length=4)  # png | jpeg
    seed = models.BigIntegerField()
    num_images = models.PositiveSmallIntegerField()
    face_locked = models.BooleanField(default=False)
    return_base64 = models.BooleanField(default=False)
    credits = models.PositiveIntegerField()
    reservation = models.OneToOneField(
        "accounts.CreditReservation", on_delete=models.PROTECT, related_name="image_run"
    )
    # The reference's runtime error: {"name", "message"} when failed, canceled or timed out.
    error_name = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True, help_text="host:pid of the last claim")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Privacy mode: when the base64 outputs were deleted (60 minutes after completion).
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["status", "lease_until"]),
            models.Index(fields=["identity", "-created_at"]),
        ]
        constraints = [
            # The reference's ranges, kept by the database too.
            models.CheckConstraint(
                condition=Q(num_images__gte=1, num_images__lte=4), name="image_run_1_to_4_images"
            ),
            models.CheckConstraint(
                condition=Q(seed__gte=0, seed__lte=2**32 - 1), name="image_run_seed_32_bits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def mime_type(self) -> str:
        return f"image/{self.output_format}"


class RunOutput(models.Model):
    """One image of a run: stored in media storage, or (privacy mode) only as a data-URI."""

    run = models.ForeignKey(ImageRun, on_delete=models.CASCADE, related_name="outputs")
    index = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to="runs/%Y/%m/", blank=True, max_length=255)
    # Privacy mode only; emptied by the purge 60 minutes after the run completed.
    data_uri = models.TextField(blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    engine = models.CharField(max_length=32)
    # SFace cosine to the identity's (or the face reference's) embedding; null: not measurable
    # (no face found, no reference embedding).
    face_similarity = models.FloatField(null=True, blank=True)
    face_drift = models.BooleanField(default=False)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            # One output per index: a retried attempt never stores an image twice.
            models.UniqueConstraint(fields=["run", "index"], name="run_output_index_unique"),
            models.CheckConstraint(
                condition=Q(index__gte=0, index__lte=3), name="run_output_index_0_to_3"
            ),
            # Privacy mode never writes a file: an output is a file or a data-URI, never both.
            models.CheckConstraint(
                condition=Q(image="") | Q(data_uri=""), name="run_output_file_or_data_uri"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run.public_id} #{self.index}"

    @property
    def is_purged(self) -> bool:
        return not self.image and not self.data_uri
