"""Concurrent adds of one account serialize on the account row (services/add_existing.py)."""

import threading

import pytest
from django.db import connection

from accounts.models import Account
from config.api.refusals import refusal_api_error
from config.refusals import Refusal
from identities.consent import STATEMENTS, VERSION
from identities.models import ConsentRecord, Identity
from identities.services.add_existing import existing_model_add
from tests.add_existing import photos
from tests.conftest import require_postgres


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_adds_with_one_name_give_one_identity_and_one_charge(alice, upload):
    require_postgres()
    account = alice.membership.account
    near = upload(alice, photos.astronaut_close_up())
    far = upload(alice, photos.astronaut_full_body())
    before = Account.objects.get(pk=account.pk).credit_balance
    barrier = threading.Barrier(5)
    outcomes, lock = [], threading.Lock()

    def attempt():
        try:
            barrier.wait()
            existing_model_add(
                account=account,
                user=alice,
                name="Eileen",
                gender="female",
                close_up=near,
                full_body=far,
                consent_version=VERSION,
                accepted=[item.key for item in STATEMENTS],
                ip_address="198.51.100.1",
                user_agent="race",
                enqueue=False,
            )
            result = 201
        except Refusal as refusal:
            result = refusal_api_error(refusal).status
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [201, 409, 409, 409, 409]
    identity = Identity.objects.get(account=account)
    assert ConsentRecord.objects.filter(identity=identity).count() == 1
    # One reservation of the promotion's price, held until preprocessing settles it.
    after = Account.objects.get(pk=account.pk)
    assert after.credit_balance == before - identity.credits_charged
    assert after.credits_reserved == identity.credits_charged
