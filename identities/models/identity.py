from django.conf import settings
from django.db import models
from django.db.models import Q

from catalog.rules import CATALOG_TIERS, TIER_CHOICES
from identities.engines.labels import render_notes
from identities.models.codes import new_identity_code

# An identity is "live" while it is neither deleted nor hidden (a failed preprocessing that the
# user retried). Only live identities take a slot, a name, or their source draft.
LIVE = Q(deleted_at__isnull=True, hidden=False)


class Identity(models.Model):
    """A reusable face: private to an account, or public in the catalog (account is null)."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    PREPROCESSING_CHOICES = [
        (PENDING, "Pending"),
        (PROCESSING, "Processing"),
        (COMPLETED, "Completed"),
        (FAILED, "Failed"),
    ]

    code = models.CharField(max_length=12, unique=True, default=new_identity_code, editable=False)
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="identities",
    )
    tier = models.CharField(max_length=8, choices=TIER_CHOICES, blank=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    # Filterable traits, read from the brief at promotion.
    gender = models.CharField(max_length=32, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    portrait = models.FileField(upload_to="identities/%Y/%m/", max_length=255)
    thumbnail = models.FileField(upload_to="identities/thumbs/%Y/%m/", blank=True, max_length=255)
    face_crop = models.FileField(upload_to="identities/faces/%Y/%m/", blank=True, max_length=255)
    embedding = models.BinaryField(null=True, blank=True)
    embedding_model = models.CharField(max_length=64, blank=True)
    # Provenance: the brief, the job, the draft, the engine and the seed it came from.
    brief = models.JSONField(default=dict, blank=True)
    prompt = models.TextField(blank=True)
    engine = models.CharField(max_length=32, blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    # The source draft's render details (Draft.render_details), kept for good: the stylegan
    # latent draws this person again; "not_drawn" and "non_commercial" stay shown.
    render_details = models.JSONField(default=dict, blank=True)
    creation_job = models.ForeignKey(
        "identities.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_draft = models.ForeignKey(
        "identities.Draft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preprocessing_status = models.CharField(
        max_length=16, choices=PREPROCESSING_CHOICES, default=PENDING
    )
    preprocessing_error = models.TextField(blank=True)
    preprocessing_job = models.ForeignKey(
        "identities.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credits_charged = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "identities"
        indexes = [models.Index(fields=["account", "deleted_at", "hidden"])]
        constraints = [
            # Catalog identities have a tier and no account; private ones the reverse.
            models.CheckConstraint(
                condition=Q(account__isnull=True, tier__in=CATALOG_TIERS)
                | Q(account__isnull=False, tier=""),
                name="identity_catalog_has_tier",
            ),
            models.UniqueConstraint(
                fields=["account", "name"], condition=LIVE, name="identity_name_unique_per_account"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=LIVE & Q(account__isnull=True),
                name="catalog_identity_name_unique",
            ),
            # One live identity per promoted draft: the guard behind promotion's idempotency.
            models.UniqueConstraint(
                fields=["source_draft"],
                condition=LIVE & Q(source_draft__isnull=False),
                name="identity_one_per_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_catalog(self) -> bool:
        return self.account_id is None

    @property
    def render_notes(self) -> dict:
        """What the pages say about how the portrait was drawn (see engines.labels)."""
        return render_notes(self.render_details)
