"""The two calls clients make most, locked at their query counts (not timed).

POST /identity/create queues its eight draft tasks with one INSERT inside the job's own
transaction (one commit for the job and its tasks); GET /jobs/{id} answers from one query (the
job with its identity joined and its drafts counted), after the one of authentication (the
token with its account, plan and maker, and the address's recent failed sign-ins).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from identities.models import Draft, Job
from tests.pipeline import run_job

CREATE = "/api/v2/identity/create"
BODY = {
    "instructions": [
        {
            "appearance": {"gender": "female", "age": 28, "skin": "light"},
            "hair": {"color": "ash blonde", "length": "long"},
            "num_variations": 8,
            "options": {"ar": "3:4", "size": "1K", "format": "jpg"},
        }
    ],
    "options": {"model": "local"},
    "name": "Bench model",
}
# Authentication with the creating user (1), blocked terms (1), the creation switch (1), then
# one transaction: reserve credits (an UPDATE … RETURNING the balances, which locks the
# account's row; the ledger entry; the reservations, without a savepoint of their own), count
# the account's jobs of the last minute and in progress (1), job, instruction, drafts, the
# eight tasks (one INSERT); the job's transaction, a savepoint inside the test's own (2).
# Before the batching: 28, the tasks one INSERT each in a second transaction after a re-read
# of the drafts; before authentication read the throttle and the user with the token: 20;
# before the account's lock counted its jobs and the reservation returned the balances, in a
# savepoint: 18; before the reservation's UPDATE was the account's lock: 14. On PostgreSQL two
# statements (data-modifying WITHs) do the transaction's work: the reservation's UPDATE, ledger
# entry and reservations; then the job, instruction and drafts with the counts: 8.
CREATE_QUERIES = {"sqlite": 13, "postgresql": 8}
# Authentication (1), the job with its draft counts (1). Before: 4 (the throttle, the token,
# the job, its drafts' statuses).
STATUS_QUERIES = 2


@pytest.fixture
def queued(monkeypatch):
    """Tasks go to the database queue instead of running in the request (the tests' default)."""
    if not Conf.ORM:
        pytest.skip("the queue is not the database here")
    monkeypatch.setattr(Conf, "SYNC", False)


def _sql(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def test_create_queues_eight_tasks_with_one_insert_in_the_jobs_transaction(alice_api, queued):
    alice_api.post(CREATE, BODY, content_type="application/json")  # warm the caches
    OrmQ.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        response = alice_api.post(CREATE, BODY, content_type="application/json")
    assert response.status_code == 202, response.content
    sql = _sql(context)
    assert len(sql) == CREATE_QUERIES[connection.vendor], "\n".join(sql)
    queue_inserts = [q for q in sql if q.startswith('INSERT INTO "django_q_ormq"')]
    assert len(queue_inserts) == 1
    # Before the job's transaction ends (its outermost savepoint is released last).
    assert sql.index(queue_inserts[0]) < len(sql) - 1
    assert sql[-1].startswith("RELEASE SAVEPOINT")

    job = Job.objects.get(public_id=response.json()["job_id"])
    drafts = set(job.drafts.values_list("pk", flat=True))
    tasks = [SignedPackage.loads(row.payload) for row in OrmQ.objects.all()]
    assert len(drafts) == 8
    assert {task["args"][0] for task in tasks} == drafts
    assert {task["func"] for task in tasks} == {"identities.tasks.draft_generate"}
    assert {task["group"] for task in tasks} == {job.public_id}


def _counts_jobs_in_progress(sql: list[str]) -> bool:
    return any("'pending', 'processing'" in q or "{pending,processing}" in q for q in sql)


def test_an_uncapped_plan_does_not_count_the_jobs_in_progress(alice_api, alice, queued):
    # Only a plan with a concurrent-job cap needs the jobs in progress counted; an uncapped
    # account's pending jobs can run into the thousands.
    plan = alice.membership.account.plan
    plan.concurrent_jobs = 5
    plan.save(update_fields=["concurrent_jobs"])
    with CaptureQueriesContext(connection) as capped:
        response = alice_api.post(CREATE, BODY, content_type="application/json")
    assert response.status_code == 202, response.content
    assert _counts_jobs_in_progress(_sql(capped))
    plan.concurrent_jobs = None
    plan.save(update_fields=["concurrent_jobs"])
    with CaptureQueriesContext(connection) as uncapped:
        response = alice_api.post(CREATE, BODY, content_type="application/json")
    assert response.status_code == 202, response.content
    assert not _counts_jobs_in_progress(_sql(uncapped))


def test_a_refused_create_leaves_no_task(alice_api, alice, queued):
    account = alice.membership.account
    account.credit_balance = 3  # fewer than the eight drafts need
    account.save(update_fields=["credit_balance"])
    response = alice_api.post(CREATE, BODY, content_type="application/json")
    assert response.status_code == 402, response.content
    assert not OrmQ.objects.exists()
    assert not Job.objects.exists()


def test_job_status_is_one_query_after_authentication(
    alice, alice_api, django_capture_on_commit_callbacks, django_assert_num_queries
):
    job = run_job(alice.membership.account, capture=django_capture_on_commit_callbacks)
    alice_api.get(f"/api/v2/jobs/{job.public_id}")  # the token's last-used stamp
    with django_assert_num_queries(STATUS_QUERIES) as context:
        response = alice_api.get(f"/api/v2/jobs/{job.public_id}")
    authentication, status = (query["sql"] for query in context.captured_queries)
    assert '"axes_accessattempt"' in authentication and '"accounts_apitoken"' in authentication
    assert '"identities_draft"' in status
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["progress"]) == ("completed", 100)
    assert (body["total_images"], body["processed_images"]) == (2, 2)
    assert body["identity_code"] is None


def test_job_status_counts_finished_drafts_of_a_running_job(
    alice, alice_api, queued, django_assert_num_queries
):
    job_id = alice_api.post(CREATE, BODY, content_type="application/json").json()["job_id"]
    job = Job.objects.get(public_id=job_id)
    pks = list(job.drafts.order_by("pk").values_list("pk", flat=True))
    Draft.objects.filter(pk__in=pks[:3]).update(status=Draft.COMPLETED, image="drafts/x.jpg")
    Draft.objects.filter(pk=pks[3]).update(status=Draft.FAILED)
    with django_assert_num_queries(STATUS_QUERIES):
        body = alice_api.get(f"/api/v2/jobs/{job_id}/status").json()
    assert (body["total_images"], body["processed_images"], body["progress"]) == (8, 4, 50)


def test_another_accounts_job_status_is_404_and_says_nothing_of_it(
    alice, charlie_api, django_capture_on_commit_callbacks, django_assert_num_queries
):
    job = run_job(alice.membership.account, capture=django_capture_on_commit_callbacks)
    charlie_api.get(f"/api/v2/jobs/{job.public_id}")
    with django_assert_num_queries(STATUS_QUERIES):
        response = charlie_api.get(f"/api/v2/jobs/{job.public_id}")
    assert response.status_code == 404
    assert job.public_id not in response.content.decode()
