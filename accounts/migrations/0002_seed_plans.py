from django.db import migrations

# The launch plans (limits, slots, catalog tiers, watermark option); admins change them afterwards.
PLANS = [
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


def seed(apps, schema_editor):
    Plan = apps.get_model("accounts", "Plan")
    for plan in PLANS:
        Plan.objects.update_or_create(code=plan["code"], defaults=plan)


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Plan").objects.filter(code__in=[p["code"] for p in PLANS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
