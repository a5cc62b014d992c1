"""Reads of the public catalog: the live catalog identities, and the ones a plan unlocks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.rules import tiers_unlocked_by
from identities.models import Identity
from identities.models.identity import LIVE


def catalog_condition(*, account, include_locked: bool = False) -> Q:
    """The catalog rows `account` sees, as a condition to combine with others (the library
    mixes them with the account's own identities in one query)."""
    condition = Q(account__isnull=True)
    if not include_locked:
        condition &= Q(tier__in=tiers_unlocked_by(account.plan))
    return condition


def catalog_identities_for(*, account, include_locked: bool = False) -> QuerySet[Identity]:
    """The live catalog identities `account`'s plan unlocks; with the locked ones too when
    `include_locked` (the library shows them, marked, to say what a bigger plan brings)."""
    return Identity.objects.filter(
        LIVE, catalog_condition(account=account, include_locked=include_locked)
    )
