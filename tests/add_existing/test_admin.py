"""Consent records in Django admin: listed and readable, never added, changed or deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from identities.models import ConsentRecord
from tests.html import select, text_of


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser(
        "root@castless.test", "root@castless.test", "x"
    )
    client.force_login(user)
    return client


@pytest.fixture
def record(add_eileen):
    return add_eileen(ip_address="192.0.2.4", user_agent="Admin test").consent


def test_admin_lists_and_shows_a_record_read_only(admin_client, record):
    listing = admin_client.get(reverse("admin:identities_consentrecord_changelist"))
    assert listing.status_code == 200
    assert "alice@brand.test" in text_of(listing, "#result_list")
    page = admin_client.get(reverse("admin:identities_consentrecord_change", args=[record.pk]))
    assert page.status_code == 200
    assert record.close_up_sha256 in page.content.decode()
    assert select(page, "input[name=_save]") == []


def test_admin_cannot_add_change_or_delete_a_record(admin_client, record):
    change = reverse("admin:identities_consentrecord_change", args=[record.pk])
    assert admin_client.post(change, {"user_agent": "edited"}).status_code == 403
    assert admin_client.get(reverse("admin:identities_consentrecord_add")).status_code == 403
    delete = reverse("admin:identities_consentrecord_delete", args=[record.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ConsentRecord.objects.get(pk=record.pk).user_agent == "Admin test"
