"""The catalog's rules live in `catalog.rules`; these tests show each user reading them from
there rather than from a copy: the model, the library filter, the default plans, the selectors
and publishing."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.defaults import DEFAULT_PLANS
from accounts.models import Account, Plan
from catalog.briefs import CATALOG
from catalog.rules import (
    CATALOG_TIERS,
    TIER_CHOICES,
    identity_is_locked,
    tier_is_unlocked,
    tiers_unlocked_by,
    tiers_up_to,
)
from catalog.selectors import catalog_identities_for
from catalog.services import catalog_publish
from identities.filters import LibraryFilterForm
from identities.models import Identity
from identities.selectors import IdentityFilters, identity_get_for, identity_list_for


def _catalog(*tiers: str) -> dict[str, Identity]:
    return {
        tier: Identity.objects.create(
            account=None, tier=tier, name=f"Cat {tier}", portrait=f"identities/{tier}.jpg"
        )
        for tier in tiers
    }


@pytest.fixture
def catalog(db):
    return _catalog(*CATALOG_TIERS)


@pytest.fixture
def basic_only(reference_data):
    """An account on a hand-edited plan that unlocks the middle tier alone: no default plan
    does, so only a reader of the plan's own list gets it right."""
    plan = Plan.objects.create(code="odd", name="Odd", catalog_tiers=["basic"])
    return Account.objects.create(name="Odd Co", plan=plan)


def test_the_tiers_are_cheapest_first_and_labelled():
    assert CATALOG_TIERS == ("free", "basic", "pro")
    assert TIER_CHOICES == [("free", "Free"), ("basic", "Basic"), ("pro", "Pro")]
    assert [tiers_up_to(tier) for tier in CATALOG_TIERS] == [
        ["free"],
        ["free", "basic"],
        ["free", "basic", "pro"],
    ]


def test_a_plan_unlocks_the_tiers_it_lists_in_catalog_order_and_nothing_unknown():
    plan = Plan(catalog_tiers=["pro", "gold", "free"])
    assert tiers_unlocked_by(plan) == ("free", "pro")
    assert tier_is_unlocked(plan=plan, tier="pro")
    assert not tier_is_unlocked(plan=plan, tier="basic")
    assert not tier_is_unlocked(plan=plan, tier="gold")


def test_the_model_the_filter_and_the_seed_list_use_the_same_tiers():
    assert Identity._meta.get_field("tier").choices == TIER_CHOICES
    assert LibraryFilterForm().fields["tier"].choices == [("", "Any tier"), *TIER_CHOICES]
    assert {tier for _, tier, *_ in CATALOG} == set(CATALOG_TIERS)


def test_the_default_plans_unlock_their_own_tier_and_the_cheaper_ones():
    unlocks = {plan["code"]: plan["catalog_tiers"] for plan in DEFAULT_PLANS}
    assert unlocks == {
        "free": ["free"],
        "basic": ["free", "basic"],
        "pro": ["free", "basic", "pro"],
        "enterprise": ["free", "basic", "pro"],
    }


def test_the_default_plans_match_the_copy_the_migration_froze():
    frozen = importlib.import_module("accounts.migrations.0002_seed_plans").PLANS
    assert {p["code"]: p["catalog_tiers"] for p in frozen} == {
        p["code"]: p["catalog_tiers"] for p in DEFAULT_PLANS
    }


def test_the_database_refuses_a_catalog_identity_outside_the_tiers(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(account=None, tier="gold", name="Gold", portrait="x.jpg")


def test_the_plans_own_list_decides_what_the_selectors_list_and_lock(basic_only, catalog):
    assert list(catalog_identities_for(account=basic_only)) == [catalog["basic"]]
    assert set(catalog_identities_for(account=basic_only, include_locked=True)) == set(
        catalog.values()
    )
    default = identity_list_for(account=basic_only, filters=IdentityFilters())
    shared = identity_list_for(account=basic_only, filters=IdentityFilters(ownership="shared"))
    assert [i.tier for i in default] == [i.tier for i in shared] == ["basic"]
    every = identity_list_for(
        account=basic_only, filters=IdentityFilters(ownership="all", include_locked=True)
    )
    locked = {i.tier: identity_is_locked(identity=i, account=basic_only) for i in every}
    assert locked == {"free": True, "basic": False, "pro": True}


def test_changing_the_plans_list_changes_the_library_at_once(basic_only, catalog):
    basic_only.plan.catalog_tiers = ["free", "pro"]
    basic_only.plan.save()
    account = Account.objects.select_related("plan").get(pk=basic_only.pk)
    listed = identity_list_for(account=account, filters=IdentityFilters(ownership="all"))
    assert sorted(i.tier for i in listed) == ["free", "pro"]
    assert not identity_is_locked(identity=catalog["pro"], account=account)
    assert identity_is_locked(identity=catalog["basic"], account=account)


def test_locked_catalog_identities_stay_reachable_by_code(basic_only, catalog):
    # The detail page explains what the plan lacks, so a locked identity is found, not a 404.
    found = identity_get_for(account=basic_only, code=catalog["pro"].code)
    assert identity_is_locked(identity=found, account=basic_only)


def test_an_accounts_own_identities_are_never_locked(basic_only):
    own = Identity.objects.create(account=basic_only, name="Mine", portrait="identities/m.jpg")
    assert not identity_is_locked(identity=own, account=basic_only)


@pytest.mark.parametrize("tier", CATALOG_TIERS)
def test_publishing_moves_an_identity_into_the_catalog_at_any_tier(basic_only, tier):
    own = Identity.objects.create(account=basic_only, name="Star", portrait="identities/s.jpg")
    published = catalog_publish(identity=own, tier=tier, description="28, Irish, fair skin")
    published.refresh_from_db()
    assert (published.account, published.tier) == (None, tier)
    assert published.description == "28, Irish, fair skin"


def test_publishing_refuses_a_tier_that_does_not_exist(basic_only):
    own = Identity.objects.create(account=basic_only, name="Star", portrait="identities/s.jpg")
    with pytest.raises(ValueError, match="unknown catalog tier"):
        catalog_publish(identity=own, tier="gold")
    own.refresh_from_db()
    assert own.account == basic_only


def test_publishing_checks_the_model_rules_before_saving(basic_only):
    _catalog("free")  # "Cat free" is taken in the catalog
    own = Identity.objects.create(account=basic_only, name="Cat free", portrait="identities/c.jpg")
    with pytest.raises(ValidationError):
        catalog_publish(identity=own, tier="pro")
