"""Reference data every installation has: the four plans (PRODUCT.md "Plans and credits").

Migration 0002 seeds a frozen copy; `plans_ensure()` restores missing rows (tests that flush
the database, `make run` on a database created by hand). Admins' edits are never overwritten.
"""

from accounts.models import Plan

DEFAULT_PLANS = [
    {
        "code": "free",
        "name": "Free",
        "max_size": "1K",
        "concurrent_jobs": 5,
        "identity_slots": 50,
        "catalog_tiers": ["free"],
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
        "catalog_tiers": ["free", "basic"],
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
        "catalog_tiers": ["free", "basic", "pro"],
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
        "catalog_tiers": ["free", "basic", "pro"],
        "watermark_option": True,
        "starter_credits": 60,
        "position": 4,
    },
]


def plans_ensure() -> None:
    for plan in DEFAULT_PLANS:
        Plan.objects.get_or_create(code=plan["code"], defaults=plan)
