import random

import pytest
from django.core.files.storage import default_storage

from accounts.models import Account, CreditEntry, CreditReservation
from config.api.refusals import refusal_api_error
from config.refusals import Refusal
from identities.models import Draft, FeatureFlag, Job, Notification
from identities.services.jobs import (
    draft_claim,
    draft_generate,
    drafts_reap,
    job_create,
    job_quote,
)
from tests.identities.fakes.gemini import blocked_reply
from tests.pipeline import creation_request, run_job


def answer(caught):
    """What the API answers for the refusal the service raised."""
    return refusal_api_error(caught.value)


@pytest.fixture
def account(alice):
    return alice.membership.account


def _balances(account: Account) -> tuple[int, int]:
    account.refresh_from_db()
    return account.credit_balance, account.credits_reserved


def test_a_job_reserves_credits_and_creates_one_pending_draft_per_variation(account, alice):
    job = job_create(account=account, user=alice, request=creation_request(variations=3, size="2K"))
    drafts = list(job.drafts.all())
    assert job.status == Job.PENDING
    assert [d.variation for d in drafts] == [0, 1, 2]
    assert {d.status for d in drafts} == {Draft.PENDING}
    assert {d.engine for d in drafts} == {"local"}
    assert len({d.seed for d in drafts}) == 3
    assert _balances(account) == (500 - 6, 6)
    assert job.request["instructions"][0]["appearance"]["gender"] == "female"


def test_the_workers_render_every_draft_and_the_job_completes(
    account, django_capture_on_commit_callbacks
):
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=3)
    assert job.status == Job.COMPLETED
    drafts = list(job.drafts.all())
    assert {d.status for d in drafts} == {Draft.COMPLETED}
    for draft in drafts:
        assert default_storage.exists(draft.image.name)
        assert (draft.width, draft.height) == (864, 1152)
        assert draft.attempts == 1
    assert _balances(account) == (497, 0)
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 3
    names = list(Notification.objects.filter(account=account).values_list("name", flat=True))
    assert names.count("progress") == 3
    assert names[-1] == "completed"


def test_a_refused_draft_is_marked_failed_and_its_credits_released(
    account, gemini, django_capture_on_commit_callbacks
):
    gemini.script("generate", blocked_reply("PROHIBITED_CONTENT"))
    job = run_job(
        account,
        capture=django_capture_on_commit_callbacks,
        variations=2,
        model="nano_banana_pro",
    )
    statuses = sorted(job.drafts.values_list("status", flat=True))
    assert statuses == [Draft.COMPLETED, Draft.FAILED]
    failed = job.drafts.get(status=Draft.FAILED)
    assert failed.error_kind == "refused"
    assert "PROHIBITED_CONTENT" in failed.error_message
    assert job.status == Job.COMPLETED
    assert "1 of 2 drafts failed" in job.error_message
    # External 1K drafts cost 2 each: one captured, one released.
    assert _balances(account) == (498, 0)


def test_a_job_whose_drafts_all_fail_fails_and_costs_nothing(
    account, gemini, django_capture_on_commit_callbacks
):
    gemini.script("generate", blocked_reply(), blocked_reply())
    job = run_job(
        account,
        capture=django_capture_on_commit_callbacks,
        variations=2,
        model="nano_banana_pro",
    )
    assert job.status == Job.FAILED
    assert _balances(account) == (500, 0)
    assert Notification.objects.filter(account=account).last().name == "error"


def test_a_duplicate_run_of_a_draft_task_changes_nothing(account, alice):
    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    draft = job.drafts.get()
    draft_generate(draft_id=draft.pk)
    draft.refresh_from_db()
    image, attempts = draft.image.name, draft.attempts
    draft_generate(draft_id=draft.pk)
    draft.refresh_from_db()
    assert (draft.image.name, draft.attempts) == (image, attempts)
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 1


def test_a_draft_abandoned_by_a_dead_worker_is_retried_by_the_reaper(
    account, alice, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    draft = job.drafts.get()
    assert draft_claim(draft_id=draft.pk) == 1  # a worker took it, then was killed (-9)
    Draft.objects.filter(pk=draft.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    result = drafts_reap()
    assert result["retried"] == 1
    draft.refresh_from_db()
    job.refresh_from_db()
    assert draft.status == Draft.COMPLETED
    assert draft.attempts == 2
    assert job.status == Job.COMPLETED
    assert _balances(account) == (499, 0)


def test_a_draft_that_keeps_killing_workers_is_failed_and_refunded(account, alice):
    from datetime import timedelta

    from django.utils import timezone

    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    draft = job.drafts.get()
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.RUNNING, attempts=3, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert drafts_reap()["failed"] == 1
    draft.refresh_from_db()
    job.refresh_from_db()
    assert draft.status == Draft.FAILED
    assert draft.error_kind == "abandoned"
    assert job.status == Job.FAILED
    assert _balances(account) == (500, 0)


def test_a_lost_pending_draft_is_requeued(account, alice):
    from datetime import timedelta

    from django.utils import timezone

    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    Draft.objects.filter(job=job).update(created_at=timezone.now() - timedelta(minutes=10))
    assert drafts_reap()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == Job.COMPLETED


def test_size_above_the_plan_is_refused_with_403_naming_the_field(charlie):
    account = charlie.membership.account  # free plan: 1K only
    with pytest.raises(Refusal) as caught:
        job_create(
            account=account, user=charlie, request=creation_request(size="2K", instructions=2)
        )
    assert answer(caught).status == 403
    assert [d.field for d in answer(caught).detail] == [
        "instructions[0].options.size",
        "instructions[1].options.size",
    ]
    assert not Job.objects.exists()


def test_too_few_credits_get_402_with_the_three_amounts(charlie):
    account = charlie.membership.account
    Account.objects.filter(pk=account.pk).update(credit_balance=3)
    job_create(account=account, user=charlie, request=creation_request(variations=2))  # reserves 2
    with pytest.raises(Refusal) as caught:
        job_create(account=account, user=charlie, request=creation_request(variations=4))
    assert answer(caught).status == 402
    assert answer(caught).extra == {
        "required_credits": 4,
        "in_progress_credits": 2,
        "user_credits": 1,
    }
    assert Job.objects.count() == 1
    assert Draft.objects.count() == 2


def test_the_concurrent_job_cap_answers_429(charlie):
    account = charlie.membership.account
    for _ in range(5):
        job_create(account=account, user=charlie, request=creation_request(variations=1))
    with pytest.raises(Refusal) as caught:
        job_create(account=account, user=charlie, request=creation_request(variations=1))
    assert answer(caught).status == 429
    assert answer(caught).headers["Retry-After"]
    assert Job.objects.filter(account=account).count() == 5


def test_enterprise_has_no_concurrent_job_cap(account, alice):
    from accounts.models import Plan

    Account.objects.filter(pk=account.pk).update(plan=Plan.objects.get(code="enterprise"))
    account.refresh_from_db()
    for _ in range(7):
        job_create(account=account, user=alice, request=creation_request(variations=1))
    assert Job.objects.filter(account=account).count() == 7


def test_the_feature_flag_off_answers_503_with_the_admins_message(account, alice):
    FeatureFlag.objects.filter(name=FeatureFlag.IDENTITY_CREATION).update(
        enabled=False, message="Back at 14:00 UTC."
    )
    with pytest.raises(Refusal) as caught:
        job_create(account=account, user=alice, request=creation_request())
    assert answer(caught).status == 503
    assert answer(caught).error == "Back at 14:00 UTC."


def test_watermark_is_honoured_only_on_enterprise(account, alice):
    from accounts.models import Plan

    job = job_create(account=account, user=alice, request=creation_request(add_ai_watermark=True))
    assert job.add_ai_watermark is False
    Account.objects.filter(pk=account.pk).update(plan=Plan.objects.get(code="enterprise"))
    account.refresh_from_db()
    job = job_create(account=account, user=alice, request=creation_request(add_ai_watermark=True))
    assert job.add_ai_watermark is True


def test_quote_matches_what_is_reserved(account, alice):
    request = creation_request(variations=3, size="4K", instructions=2)
    assert job_quote(request=request) == 24
    job_create(account=account, user=alice, request=request)
    assert _balances(account) == (476, 24)


def test_credits_always_balance_after_a_random_mix_of_successes_and_failures(
    account, gemini, django_capture_on_commit_callbacks
):
    """reserved + captured + released = requested, for every job, whatever failed."""
    rng = random.Random(20261121)
    for _ in range(4):
        variations = rng.randint(1, 4)
        refusals = [blocked_reply() for _ in range(rng.randint(0, variations))]
        if refusals:
            gemini.script("generate", *refusals)
        run_job(
            account,
            capture=django_capture_on_commit_callbacks,
            variations=variations,
            model="nano_banana_pro",
        )
    requested = sum(
        CreditReservation.objects.filter(account=account).values_list("amount", flat=True)
    )
    ledger = {kind: 0 for kind, _ in CreditEntry.KIND_CHOICES}
    for entry in account.ledger.all():
        ledger[entry.kind] += entry.amount
    balance, reserved = _balances(account)
    assert ledger["reserve"] == requested
    assert reserved + ledger["capture"] + ledger["release"] == requested
    assert reserved == 0
    assert balance == 500 - ledger["capture"]
    assert (
        Draft.objects.filter(job__account=account, status=Draft.FAILED).count()
        == ledger["release"] // 2
    )


def test_too_many_jobs_in_a_minute_answer_429_with_retry_after(account, alice, settings):
    from accounts.models import Plan

    settings.CASTLESS_CREATE_PER_MINUTE = 3
    Account.objects.filter(pk=account.pk).update(plan=Plan.objects.get(code="enterprise"))
    account.refresh_from_db()
    for _ in range(3):
        job_create(account=account, user=alice, request=creation_request(variations=1))
    with pytest.raises(Refusal) as caught:
        job_create(account=account, user=alice, request=creation_request(variations=1))
    assert answer(caught).status == 429
    assert 1 <= int(answer(caught).headers["Retry-After"]) <= 61
    assert "at most 3 a minute" in answer(caught).error
    assert Job.objects.filter(account=account).count() == 3


def test_each_instruction_is_routed_once_per_create(account, alice, monkeypatch):
    """One engine resolution per instruction serves the checks, the prices and the drafts."""
    from identities.engines import registry
    from identities.services.jobs import acceptance

    resolved, built = [], []
    real_resolve, real_get = acceptance.resolve_engine, registry.get_engine

    def resolving(model, **kwargs):
        resolved.append(model)
        return real_resolve(model, **kwargs)

    def building(name):
        built.append(name)
        return real_get(name)

    monkeypatch.setattr(acceptance, "resolve_engine", resolving)
    monkeypatch.setattr(registry, "get_engine", building)
    job = job_create(account=account, user=alice, request=creation_request(instructions=3))
    assert resolved == ["local"] * 3
    assert built == ["local"] * 3  # the resolution's own, none to price or insert
    assert job.drafts.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_jobs_drafts_are_queued_in_one_transaction(alice, monkeypatch):
    """With the database as the queue, one commit for all of a job's draft tasks."""
    from django.db import connection
    from django_q.conf import Conf
    from django_q.models import OrmQ

    from identities.services.jobs.queueing import TaskBatch

    if not Conf.ORM:
        pytest.skip("the queue is not the database here")
    monkeypatch.setattr(Conf, "SYNC", False)  # queue the tasks instead of running them
    inside = []
    real = TaskBatch.flush

    def watching(self):
        # Sent inside the job's own transaction, all three at once.
        inside.append((connection.in_atomic_block, len(self.packs)))
        return real(self)

    monkeypatch.setattr(TaskBatch, "flush", watching)
    job = job_create(
        account=alice.membership.account, user=alice, request=creation_request(variations=3)
    )
    assert inside == [(True, 3)]
    assert OrmQ.objects.count() == 3
    assert job.drafts.filter(status=Draft.PENDING).count() == 3


# --- recovery: heartbeat while rendering, a failure after the render -------------------------


def _draft_files() -> set[str]:
    found = set()

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.update(f"{path}/{name}" for name in files)
        for directory in directories:
            walk(f"{path}/{directory}")

    if default_storage.exists("drafts"):
        walk("drafts")
    return found


@pytest.mark.django_db(transaction=True)
def test_the_lease_of_a_draft_is_renewed_while_its_engine_renders(alice, monkeypatch, settings):
    import time
    from datetime import timedelta

    from identities import leases
    from identities.services.jobs import generation

    settings.CASTLESS_TASK_LEASE_SECONDS = 2
    monkeypatch.setattr(leases, "heartbeat_every", lambda: timedelta(seconds=0.05))
    account = alice.membership.account
    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    draft = job.drafts.get()
    Draft.objects.filter(pk=draft.pk).update(status=Draft.PENDING, attempts=0, lease_until=None)
    seen = []
    real = generation.get_engine

    class Slow:
        def __init__(self, engine):
            self.engine = engine

        def render(self, request):
            for _ in range(2):
                time.sleep(0.3)
                seen.append(Draft.objects.values_list("lease_until", flat=True).get(pk=draft.pk))
            return self.engine.render(request)

    monkeypatch.setattr(generation, "get_engine", lambda name: Slow(real(name)))
    draft_generate(draft_id=draft.pk)
    assert seen[1] > seen[0]  # pushed forward while rendering
    draft.refresh_from_db()
    assert (draft.status, draft.attempts, draft.lease_until) == (Draft.COMPLETED, 1, None)


def test_a_failure_while_completing_deletes_the_image_and_retries_the_draft_at_once(
    account, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from identities.services.jobs import generation

    real, calls = generation.credits_capture, []

    def drops_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(generation, "credits_capture", drops_once)
    job = run_job(account, alice, capture=django_capture_on_commit_callbacks, variations=1)
    draft = job.drafts.get()
    job.refresh_from_db()
    # The second attempt ran straight away, not after a lease ran out.
    assert (draft.status, draft.attempts, job.status) == (Draft.COMPLETED, 2, Job.COMPLETED)
    assert _draft_files() == {draft.image.name}
    assert draft.image.name.rsplit("/", 1)[1].startswith(f"{draft.pk}-2.")
    assert _balances(account) == (499, 0)
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 1


def test_a_draft_that_cannot_be_completed_fails_after_its_attempts_and_leaves_no_file(
    account, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from identities.services.jobs import generation

    def drops(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(generation, "credits_capture", drops)
    job = run_job(account, alice, capture=django_capture_on_commit_callbacks, variations=1)
    draft = job.drafts.get()
    assert (draft.status, draft.attempts, draft.error_kind) == (Draft.FAILED, 3, "internal")
    assert _draft_files() == set()
    assert _balances(account) == (500, 0)


def test_the_sweep_requeues_waiting_drafts_only_while_the_task_queue_is_empty(
    account, alice, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from identities.services.jobs import reaping

    job = job_create(account=account, user=alice, request=creation_request(variations=1))
    Draft.objects.filter(job=job).update(created_at=timezone.now() - timedelta(seconds=30))
    monkeypatch.setattr(reaping, "broker_idle", lambda: False)  # its task may be waiting there
    assert reaping.abandoned_work_reap()["drafts"]["requeued"] == 0
    monkeypatch.setattr(reaping, "broker_idle", lambda: True)  # held by a dead cluster, or lost
    assert reaping.abandoned_work_reap()["drafts"]["requeued"] == 1
    job.refresh_from_db()
    assert job.status == Job.COMPLETED


def test_an_empty_task_queue_reads_as_idle(db):
    from identities.services.jobs.reaping import broker_idle

    assert broker_idle()
