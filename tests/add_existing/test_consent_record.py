"""The consent record is immutable, and deleting the identity keeps only what proves consent."""

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction

from identities.consent import VERSION
from identities.models import ConsentRecord, ExistingModelPhoto, Identity
from identities.models.consent import ConsentRecordImmutable
from identities.services.library import identity_delete
from tests.conftest import on_postgres


@pytest.fixture
def added(add_eileen):
    return add_eileen(ip_address="203.0.113.7", user_agent="Firefox")


def test_the_model_refuses_to_change_or_delete_a_record(added):
    record = added.consent
    record.user_agent = "rewritten"
    with pytest.raises(ConsentRecordImmutable):
        record.save()
    with pytest.raises(ConsentRecordImmutable):
        record.delete()
    assert ConsentRecord.objects.get(pk=record.pk).user_agent == "Firefox"


def test_the_database_refuses_an_update_even_through_a_queryset(added):
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=added.consent.pk).update(user_agent="rewritten")
    assert ConsentRecord.objects.get(pk=added.consent.pk).user_agent == "Firefox"


def test_the_database_refuses_a_raw_sql_update(added):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE identities_consentrecord SET accepted_keys = %s WHERE id = %s",
            ["[]", added.consent.pk],
        )


@pytest.mark.skipif(not on_postgres(), reason="row DELETE is refused by PostgreSQL's trigger")
def test_postgres_refuses_a_queryset_delete(added):
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=added.consent.pk)._raw_delete(using="default")
    assert ConsentRecord.objects.filter(pk=added.consent.pk).exists()


def test_a_digest_must_be_sha256(added, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    identity=Identity.objects.create(
                        account=alice.membership.account, name="Other", portrait="x.jpg"
                    ),
                    account=alice.membership.account,
                    statements_version=VERSION,
                    statements=[],
                    accepted_keys=[],
                    accepted_by=alice,
                    accepted_by_email=alice.email,
                    accepted_at=added.consent.accepted_at,
                    close_up_sha256="abc",
                    full_body_sha256="0" * 64,
                )
            ]
        )


def test_the_identity_cannot_be_hard_deleted_while_its_record_exists(added):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        added.delete()


def test_deleting_the_identity_deletes_photos_and_embedding_but_keeps_the_record(added):
    record = added.consent
    files = [photo.file.name for photo in added.source_photos.all()]
    files += [added.portrait.name, added.face_crop.name, added.thumbnail.name]
    assert all(default_storage.exists(name) for name in files)
    assert added.embedding
    identity_delete(identity=added)
    gone = Identity.objects.get(pk=added.pk)
    assert gone.deleted_at is not None
    assert gone.embedding is None
    assert (gone.portrait.name, gone.face_crop.name, gone.thumbnail.name) == ("", "", "")
    assert not ExistingModelPhoto.objects.filter(identity=gone).exists()
    assert not any(default_storage.exists(name) for name in files)
    kept = ConsentRecord.objects.get(pk=record.pk)
    assert (kept.close_up_sha256, kept.full_body_sha256) == (
        record.close_up_sha256,
        record.full_body_sha256,
    )
    assert (kept.ip_address, kept.user_agent, kept.accepted_by_email) == (
        "203.0.113.7",
        "Firefox",
        "alice@brand.test",
    )
    assert kept.statements == record.statements
