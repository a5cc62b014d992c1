from django.core.management import call_command

from catalog.briefs import CATALOG
from identities.models import Draft, Identity, Job


def test_the_seed_list_is_diverse_and_has_eight_per_tier():
    assert len(CATALOG) >= 24
    tiers = [tier for _, tier, *_ in CATALOG]
    assert {tier: tiers.count(tier) for tier in set(tiers)} == {"free": 8, "basic": 8, "pro": 8}
    genders = {appearance["gender"] for _, _, appearance, *_ in CATALOG}
    skins = {appearance["skin"] for _, _, appearance, *_ in CATALOG}
    ages = sorted(int(appearance["age"]) for _, _, appearance, *_ in CATALOG)
    assert genders == {"female", "male"}
    assert len(skins) >= 8
    assert ages[0] < 25 and ages[-1] > 55


def test_seeding_runs_the_real_pipeline_and_is_idempotent(reference_data, capsys):
    call_command("seed_catalog", "--limit", "3")
    assert "3 identities created" in capsys.readouterr().out
    catalog = Identity.objects.filter(account__isnull=True).order_by("name")
    assert [(i.name, i.tier) for i in catalog] == [
        ("Amara", "free"),
        ("Lukas", "free"),
        ("Mei", "free"),
    ]
    for identity in catalog:
        assert identity.preprocessing_status == Identity.COMPLETED
        assert identity.engine == "local"
        assert identity.embedding
        assert identity.source_draft.status == Draft.COMPLETED
    assert Job.objects.filter(job_type=Job.CREATION, status=Job.COMPLETED).count() == 3
    call_command("seed_catalog", "--limit", "3")
    assert "0 identities created" in capsys.readouterr().out
    assert Identity.objects.filter(account__isnull=True).count() == 3
