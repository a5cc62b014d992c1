"""An existing model's consent record and source photos (issue 14).

A `ConsentRecord` proves that someone of the account accepted the compliance statements for
these photos: the statements' version and their exact text, the keys accepted, who, when, from
which address and user agent, and the SHA-256 of both photos. It is written once, with the
identity, and never changes: the model refuses updates and deletes, and the database refuses
them too (triggers added by migration 0018: an UPDATE on SQLite and PostgreSQL, a row DELETE on
PostgreSQL; test databases are flushed with DELETE on SQLite and TRUNCATE on PostgreSQL, which
stay possible), so not even a queryset or raw SQL rewrites what was agreed.

The photos themselves live in `ExistingModelPhoto` rows (and the identity's portrait, face crop,
thumbnail and embedding); deleting the identity deletes all of those, and what is left of the
person is the record: text, people, times and digests, which prove consent without showing
anyone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

SHA256_LENGTH = 64


class ConsentRecordImmutable(Exception):
    """A consent record was asked to change or disappear."""


class ConsentRecord(models.Model):
    # PROTECT: the identity row outlives its deletion (soft delete), and the record outlives it.
    identity = models.OneToOneField(
        "identities.Identity", on_delete=models.PROTECT, related_name="consent"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    statements_version = models.CharField(max_length=32)
    # [{"key", "text"}] exactly as shown when they were accepted.
    statements = models.JSONField()
    accepted_keys = models.JSONField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The address the user signed in with, kept should the user row ever change.
    accepted_by_email = models.EmailField()
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    close_up_sha256 = models.CharField(max_length=SHA256_LENGTH)
    full_body_sha256 = models.CharField(max_length=SHA256_LENGTH)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            # A digest is 64 hex characters: an empty or truncated one proves nothing.
            models.CheckConstraint(
                condition=Exact(Length("close_up_sha256"), SHA256_LENGTH)
                & Exact(Length("full_body_sha256"), SHA256_LENGTH),
                name="consent_digests_are_sha256",
            ),
            models.CheckConstraint(
                condition=~Q(statements_version=""), name="consent_has_statements_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Consent v{self.statements_version} for identity {self.identity_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ConsentRecordImmutable("A consent record cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConsentRecordImmutable("A consent record cannot be deleted.")


class ExistingModelPhoto(models.Model):
    """One of the two photos an existing model was added from, kept by its identity."""

    CLOSE_UP = "close_up"
    FULL_BODY = "full_body"
    KIND_CHOICES = [(CLOSE_UP, "Close-up"), (FULL_BODY, "Full body")]

    identity = models.ForeignKey(
        "identities.Identity", on_delete=models.CASCADE, related_name="source_photos"
    )
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    file = models.FileField(upload_to="identities/sources/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=SHA256_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["identity", "kind"], name="one_source_photo_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of identity {self.identity_id}"
