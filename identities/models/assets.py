import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class UploadedAsset(models.Model):
    """An image an account uploaded: a reference for expert prompts or for From Image.

    Two-step uploads (reserve a file_id, then PUT the bytes) exist as `pending` rows until their bytes arrive.
    """

    PENDING = "pending"
    READY = "ready"
    STATUS_CHOICES = [(PENDING, "Waiting for the bytes"), (READY, "Ready")]

    file_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="assets")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    file = models.FileField(upload_to="assets/%Y/%m/", blank=True, max_length=255)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(file=""), name="ready_asset_has_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.file_id})"
