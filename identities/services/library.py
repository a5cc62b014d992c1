"""Changes to identities in a library: rename, delete (frees the slot), publish to the catalog."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.api.errors import ApiError, FieldError
from identities.models import Identity
from identities.models.identity import LIVE


def identity_delete(*, identity: Identity) -> None:
    """Soft delete: the row stays for provenance, the slot and the name are free again."""
    Identity.objects.filter(pk=identity.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )


def identity_rename(*, identity: Identity, name: str) -> Identity:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError("name", "Give a name of 1 to 120 characters.")],
        )
    taken = Identity.objects.filter(LIVE, account=identity.account, name=name).exclude(
        pk=identity.pk
    )
    if taken.exists():
        raise ApiError(
            status=409,
            error=f"An identity named “{name}” already exists.",
            detail=[FieldError("name", "Name already used in your library.")],
        )
    identity.name = name
    try:
        with transaction.atomic():
            identity.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        raise ApiError(status=409, error=f"An identity named “{name}” already exists.") from None
    return identity


def catalog_publish(*, identity: Identity, tier: str, description: str = "") -> Identity:
    """Move a finished identity into the public catalog at a tier (the seeding account's
    slot is freed: catalog identities belong to no account)."""
    if tier not in ("free", "basic", "pro"):
        raise ValueError(f"unknown catalog tier {tier!r}")
    identity.account = None
    identity.tier = tier
    identity.description = description
    identity.full_clean(exclude=["embedding"])
    identity.save(update_fields=["account", "tier", "description", "updated_at"])
    return identity
