from django.conf import settings
from django.db import models
from django.db.models import Q

from identities.engines.labels import render_notes
from identities.models.codes import new_job_id


class Job(models.Model):
    """A unit of asynchronous work the API reports on: identity creation or preprocessing."""

    CREATION = "identity_creation"
    PREPROCESSING = "identity_preprocessing"
    TYPE_CHOICES = [(CREATION, "Identity creation"), (PREPROCESSING, "Identity preprocessing")]

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    STATUS_CHOICES = [
        (PENDING, "Pending"),
        (PROCESSING, "Processing"),
        (COMPLETED, "Completed"),
        (FAILED, "Failed"),
    ]
    FINAL = (COMPLETED, FAILED)

    public_id = models.CharField(max_length=40, unique=True, default=new_job_id, editable=False)
    # Indexed by the composite indexes below, which lead with it.
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="jobs", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_type = models.CharField(max_length=32, choices=TYPE_CHOICES)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    name = models.CharField(max_length=120, blank=True)
    # Creation: the validated request as the API accepts it (the brief's provenance).
    request = models.JSONField(default=dict, blank=True)
    model = models.CharField(max_length=32, blank=True)
    add_ai_watermark = models.BooleanField(default=False)
    error_message = models.TextField(blank=True)
    # Preprocessing: the identity it prepares; attempts and lease survive a dying worker.
    identity = models.ForeignKey(
        "identities.Identity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Preprocessing: the promotion's 50 credits, captured when it succeeds, released if it fails.
    reservation = models.OneToOneField(
        "accounts.CreditReservation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["account", "status"]),
            # An account's jobs newest first, and those of the last minute (the rate limit).
            models.Index(fields=["account", "-created_at"], name="job_account_recent"),
            models.Index(fields=["status", "lease_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(job_type="identity_creation") | Q(identity__isnull=False),
                name="preprocessing_job_has_identity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.job_type}, {self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class Instruction(models.Model):
    """One brief of a creation job; it fans out into `num_variations` drafts."""

    # Indexed by instruction_index_unique, which leads with it.
    job = models.ForeignKey(
        Job, on_delete=models.CASCADE, related_name="instructions", db_index=False
    )
    index = models.PositiveSmallIntegerField()
    brief = models.JSONField(default=dict)  # {"appearance": {...}, "face": {...}, "hair": {...}}
    prompt = models.TextField()  # what the engine is sent (built, or the expert prompt verbatim)
    expert = models.BooleanField(default=False)
    input_assets = models.JSONField(default=list, blank=True)  # file ids (expert prompts only)
    # The From Image photo(s) the brief was read from (file ids): never sent to the engine, kept
    # so the worker can prove the draft did not copy that face (the reference-leak guard).
    read_from = models.JSONField(default=list, blank=True)
    num_variations = models.PositiveSmallIntegerField()
    size = models.CharField(max_length=2)
    ar = models.CharField(max_length=5)
    format = models.CharField(max_length=4)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="instruction_index_unique"),
            models.CheckConstraint(
                condition=Q(num_variations__gte=1, num_variations__lte=8),
                name="instruction_variations_1_to_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job.public_id} #{self.index}"


class Draft(models.Model):
    """One generated portrait (`image_result_id` is its primary key: the API contract fixes it as an integer)."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    STATUS_CHOICES = [
        (PENDING, "Pending"),
        (RUNNING, "Running"),
        (COMPLETED, "Completed"),
        (FAILED, "Failed"),
    ]
    FINAL = (COMPLETED, FAILED)

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="drafts")
    # Indexed by draft_variation_unique, which leads with it.
    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="drafts", db_index=False
    )
    image_index = models.PositiveSmallIntegerField()  # the instruction's index in its job
    variation = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    engine = models.CharField(max_length=32, blank=True)
    image = models.FileField(upload_to="drafts/%Y/%m/", blank=True, max_length=255)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Faces the detector found, stored by the worker that rendered the draft (it has the
    # bytes) so promotion does not detect on the web request. Null: not counted (a draft from
    # before the count existed, or a detector failure); promotion counts those once.
    face_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # The reference-leak guard: the highest SFace cosine between the draft's face and the face
    # of a reference it was made from (input_assets, From Image). At or above SAME_PERSON the
    # draft copied that face: it is marked, refunded, and cannot be promoted.
    reference_similarity = models.FloatField(null=True, blank=True)
    reference_leak = models.BooleanField(default=False)
    # What the engine reported about this render (RenderResult.details), as it gave it:
    # mobile_stylegan's W+ latent (engines/stylegan/latent.py: distinct rows, float32 base64,
    # about 2.7 KB), "not_drawn", "non_commercial", "native_size", "upscaled"; the painter's
    # "drawn" and "not_depicted". Copied to the identity at promotion.
    render_details = models.JSONField(default=dict, blank=True)
    credits = models.PositiveIntegerField()
    reservation = models.OneToOneField(
        "accounts.CreditReservation", on_delete=models.PROTECT, related_name="draft"
    )
    error_kind = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    # A worker claims a draft by a conditional UPDATE that sets a lease; a reaper retries or
    # fails drafts whose lease ran out (their worker died), so nothing stays "running".
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True, help_text="host:pid of the last claim")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "image_index", "variation"]
        indexes = [models.Index(fields=["status", "lease_until"])]
        constraints = [
            models.UniqueConstraint(
                fields=["instruction", "variation"], name="draft_variation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(image=""), name="completed_draft_has_image"
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.job.public_id}"

    @property
    def render_notes(self) -> dict:
        """What the pages say about this render (not drawn, non-commercial weights, upscale)."""
        return render_notes(self.render_details)

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL
