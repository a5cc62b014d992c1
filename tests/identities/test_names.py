"""The identity name rule (`identities.names`), through every way a name arrives: promotion by
the service and by the API, and rename on the identity page."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from config.refusals import InvalidInput, NameTaken, Refusal
from identities.models import Identity, Job
from identities.names import (
    NAME_MAX_LENGTH,
    identity_name_clean,
    identity_name_default,
    identity_name_valid,
)
from identities.selectors import draft_get_for
from identities.services.promotion import identity_promote
from tests.html import text_of
from tests.pipeline import run_job

CONTROL = "Names cannot contain control characters."
SURROGATE = "Names cannot contain unpaired surrogate characters."
BIDI = "Names cannot contain text-direction control characters."
INVISIBLE = "Names cannot contain zero-width characters or byte-order marks."

# One name per class of refused character, with the message that names the problem.
REFUSED = [
    ("Astrid\x00", CONTROL),  # NUL: PostgreSQL cannot store it in text
    ("As\x07trid", CONTROL),  # BEL
    ("Astrid\tNord", CONTROL),  # a tab is a control character too, not a space
    ("Astrid\nNord", CONTROL),
    ("Astrid\x7f", CONTROL),  # DEL
    ("Astrid\x85", CONTROL),  # NEL, a C1 control
    ("Astrid\ud800", SURROGATE),
    ("\udfffAstrid", SURROGATE),
    ("Astrid\u202e", BIDI),  # right-to-left override
    ("\u202aAstrid", BIDI),
    ("Astrid\u2066", BIDI),  # left-to-right isolate
    ("Astrid\u2069", BIDI),
    ("Ast\u200brid", INVISIBLE),  # zero-width space
    ("Ast\u200drid", INVISIBLE),  # zero-width joiner
    ("Ast\u2060rid", INVISIBLE),  # word joiner
    ("\ufeffAstrid", INVISIBLE),  # byte-order mark
]
# What a form post can carry: a lone surrogate cannot be encoded in the request at all.
FORM_REFUSED = [(name, message) for name, message in REFUSED if message != SURROGATE]
# The API's body reader refuses a lone surrogate anywhere in a JSON body before any rule runs.
API_SURROGATE = "Contains an unpaired surrogate character (\\ud800–\\udfff), which is not text."
API_REFUSED = [
    (name, API_SURROGATE if message == SURROGATE else message) for name, message in REFUSED
]


# --- the rule itself -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "message"), REFUSED)
def test_each_refused_character_is_named_in_the_message(name, message):
    with pytest.raises(InvalidInput) as caught:
        identity_name_clean(name)
    assert [(p.field, p.message) for p in caught.value.problems] == [("name", message)]


def test_whitespace_collapses_and_other_unicode_passes():
    assert identity_name_clean("  Astrid \u00a0  Nord ") == "Astrid Nord"
    assert identity_name_clean("Zoë Åström-Ōkubo 李") == "Zoë Åström-Ōkubo 李"
    # Right-to-left scripts are names like any other; only the invisible controls are refused.
    assert identity_name_clean("مريم") == "مريم"


def test_length_is_one_to_the_columns_length():
    assert NAME_MAX_LENGTH == Identity._meta.get_field("name").max_length == 120
    assert identity_name_clean("x" * 120) == "x" * 120
    with pytest.raises(InvalidInput, match="Validation error") as caught:
        identity_name_clean("x" * 121)
    assert caught.value.problems[0].message == "At most 120 characters."
    with pytest.raises(InvalidInput) as caught:
        identity_name_clean("   ")
    assert caught.value.problems[0].message == "Give a name of 1 to 120 characters."


# --- in a library ----------------------------------------------------------------------------


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def job(account, django_capture_on_commit_callbacks) -> Job:
    return run_job(account, capture=django_capture_on_commit_callbacks, variations=2)


def _portraits() -> list[str]:
    root = Path(default_storage.path("identities"))
    return sorted(str(path) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_name_is_unique_among_live_identities_only(
    account, job, django_capture_on_commit_callbacks
):
    first = job.drafts.order_by("variation").first()
    with django_capture_on_commit_callbacks(execute=True):
        identity, _ = identity_promote(draft=first, user=None, name="Astrid")
    with pytest.raises(NameTaken):
        identity_name_valid(account=account, name=" Astrid ")
    # Renaming an identity to its own name is no clash; a deleted identity frees its name.
    assert identity_name_valid(account=account, name="Astrid", exclude_pk=identity.pk) == "Astrid"
    Identity.objects.filter(pk=identity.pk).update(hidden=True)
    assert identity_name_valid(account=account, name="Astrid") == "Astrid"


def test_default_names_drop_what_the_rule_forbids_and_always_fit(
    account, job, django_capture_on_commit_callbacks
):
    assert identity_name_default(account=account, base="Spring\u202e \x00model") == "Spring model"
    assert identity_name_default(account=account, base="\u200b \t") == "Untitled identity"
    longest = "y" * NAME_MAX_LENGTH
    with django_capture_on_commit_callbacks(execute=True):
        identity_promote(draft=job.drafts.first(), user=None, name=longest)
    suffixed = identity_name_default(account=account, base=longest)
    assert suffixed == "y" * (NAME_MAX_LENGTH - 2) + " 2"
    assert identity_name_clean(suffixed) == suffixed


def test_promote_refuses_each_class_in_the_service(account, job):
    draft = draft_get_for(account=account, draft_id=job.drafts.first().pk)
    for name, message in REFUSED:
        with pytest.raises(Refusal) as caught:
            identity_promote(draft=draft, user=None, name=name)
        assert [(p.field, p.message) for p in caught.value.problems] == [("name", message)], name
    assert not Identity.objects.exists()
    # The portrait is copied before the account is locked; a refusal removes the copy.
    assert _portraits() == []
    account.refresh_from_db()
    assert account.credits_reserved == 0


def test_promote_refuses_each_class_in_the_api(alice_api, job, django_capture_on_commit_callbacks):
    draft = job.drafts.first()
    for name, message in API_REFUSED:
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_api.post(
                "/api/v2/identity/promote-generated",
                {"image_result_id": draft.pk, "name": name},
                content_type="application/json",
            )
        assert response.status_code == 400, name
        assert response.json() == {
            "error": "Validation error",
            "detail": [{"field": "name", "message": message, "position": "body"}],
        }
    assert not Identity.objects.exists()


def test_rename_on_the_identity_page_refuses_each_class(
    alice_client, job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        identity, _ = identity_promote(draft=job.drafts.first(), user=None, name="Astrid")
    url = reverse("identities:identity_rename", args=[identity.code])
    for name, message in FORM_REFUSED:
        response = alice_client.post(url, {"name": name}, headers={"HX-Request": "true"})
        assert response.status_code == 422, name
        assert text_of(response, "#identity-name .error") == message
    identity.refresh_from_db()
    assert identity.name == "Astrid"


def test_rename_refuses_a_lone_surrogate_in_the_service(job, django_capture_on_commit_callbacks):
    from identities.services.library import identity_rename

    with django_capture_on_commit_callbacks(execute=True):
        identity, _ = identity_promote(draft=job.drafts.first(), user=None, name="Astrid")
    with pytest.raises(InvalidInput) as caught:
        identity_rename(identity=identity, name="Astrid\ud83d")
    assert caught.value.problems[0].message == SURROGATE
