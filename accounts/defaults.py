"""Reference data every installation has: the four plans. Each unlocks the catalog tier it is
named after and the cheaper ones; Enterprise unlocks every tier.

Migration 0002 seeds a frozen copy; `plans_ensure()` restores missing rows (tests that flush
the database, `make run` on a database created by hand). Admins' edits are never overwritten.
"""

from accounts.models import Plan
from catalog.rules import tiers_up_to

DEFAULT_PLANS = [
    {
        "code": "free",
        "name": "Free",
        "max_size": "1K",
        "concurrent_jobs": 5,
        "identity_slots": 50,
        "catalog_tiers": tiers_up_to("free"),
        "watermark_option": False,
        "starter_credits": 60,
        "position": 1,
    },
    {
        "code": "basic",
        "name": "Basic",
        "max_size": "2K",
        "concurrent_jobs": 5,
        "identity_slots": 50,
        "catalog_tiers": tiers_up_to("basic"),
        "watermark_option": False,
        "starter_credits": 60,
        "position": 2,
    },
    {
        "code": "pro",
        "name": "Pro",
        "max_size": "4K",
        "concurrent_jobs": 5,
        "identity_slots": 50,
        "catalog_tiers": tiers_up_to("pro"),
        "watermark_option": False,
        "starter_credits": 60,
        "position": 3,
    },
    {
        "code": "enterprise",
        "name": "Enterprise",
        "max_size": "4K",
        "concurrent_jobs": None,
        "identity_slots": None,
        "catalog_tiers": tiers_up_to("pro"),
        "watermark_option": True,
        "starter_credits": 60,
        "position": 4,
    },
]


def plans_ensure() -> None:
    for plan in DEFAULT_PLANS:
        Plan.objects.get_or_create(code=plan["code"], defaults=plan)
