"""The catalog's rules: its tiers, which of them a plan unlocks, and when an identity is locked.

Pure functions over plain values and duck-typed objects (a plan has `catalog_tiers`, an identity
`is_catalog` and `tier`, an account `plan`), so the models of `accounts` and `identities` can read
them without either app importing the other, and without this module importing any of them.
"""

from __future__ import annotations

# Cheapest first: a plan unlocks a tier and every tier before it (see `tiers_up_to`).
CATALOG_TIERS = ("free", "basic", "pro")
TIER_LABELS = {"free": "Free", "basic": "Basic", "pro": "Pro"}
TIER_CHOICES = [(tier, TIER_LABELS[tier]) for tier in CATALOG_TIERS]


def tiers_up_to(tier: str) -> list[str]:
    """`tier` and every cheaper one: what a plan named after that tier unlocks."""
    return list(CATALOG_TIERS[: CATALOG_TIERS.index(tier) + 1])


def tiers_unlocked_by(plan) -> tuple[str, ...]:
    """The catalog tiers usable on `plan`, cheapest first.

    Admins edit a plan's list by hand; a name that is not a tier unlocks nothing.
    """
    granted = set(plan.catalog_tiers)
    return tuple(tier for tier in CATALOG_TIERS if tier in granted)


def tier_is_unlocked(*, plan, tier: str) -> bool:
    return tier in tiers_unlocked_by(plan)


def identity_is_locked(*, identity, account) -> bool:
    """A catalog identity above the account's plan: listed, but not usable. An account's own
    identities are never locked."""
    return identity.is_catalog and not tier_is_unlocked(plan=account.plan, tier=identity.tier)
