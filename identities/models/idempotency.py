from django.db import models


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` and the answer its first request got.

    `status` is null while the first request still runs; a second request with the key then
    answers 409 instead of running twice. Kept until `expires_at` (a day).
    """

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    # sha256 of method, path and the (normalised) body: the same key with another request is
    # the client's mistake, refused rather than answered with an unrelated response.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="idempotency_key_per_account")
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'in progress'})"
