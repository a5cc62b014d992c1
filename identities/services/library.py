"""Changes to identities in a library: rename, delete (frees the slot), publish to the catalog."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.refusals import FieldError, NameTaken
from identities.models import Identity
from identities.names import identity_name_valid
from identities.services.add_existing import existing_model_erase, is_existing_model


def identity_delete(*, identity: Identity) -> None:
    """Soft delete: the row stays for provenance, the slot and the name are free again. An
    existing model (a real person) also loses its photos and face data; its consent record
    stays (`services.add_existing`)."""
    Identity.objects.filter(pk=identity.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )
    if is_existing_model(identity):
        existing_model_erase(identity=identity)


def identity_rename(*, identity: Identity, name: str) -> Identity:
    """Give `identity` a new name under the identity name rule (`identities.names`): a Refusal
    on `name` when it breaks the rule or another live identity of the library has it."""
    name = identity_name_valid(account=identity.account, name=name or "", exclude_pk=identity.pk)
    identity.name = name
    try:
        with transaction.atomic():
            identity.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        # A concurrent rename took the name after our check: the constraint said no.
        raise NameTaken(
            name, problems=[FieldError("name", "Name already used in your library.")]
        ) from None
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
