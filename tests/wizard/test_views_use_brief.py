""" "Use as preset" from an identity's page: a fresh brief holding exactly the identity's brief,
or the question when a brief is in progress; then Save as preset saves the instruction chosen."""

import pytest
from django.urls import reverse

from identities.models import Brief, Preset
from identities.services.promotion import identity_promote
from identities.wizard import services as ws
from tests.html import select, select_one, text_of
from tests.pipeline import run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def astrid(alice, django_capture_on_commit_callbacks):
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    with django_capture_on_commit_callbacks(execute=True):
        return identity_promote(draft=job.drafts.get(), user=alice, name="Astrid")[0]


def use(client, identity, **data):
    return client.post(reverse("identities:identity_use_brief", args=[identity.code]), data)


def open_brief(user) -> Brief:
    return Brief.objects.get(user=user, last_job__isnull=True)


def in_progress(alice) -> Brief:
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    key = brief.instructions[0]["key"]
    brief = ws.brief_fields_update(brief=brief, key=key, values={"hair.color": "teal"})
    return ws.brief_options_update(
        brief=brief, instructions={}, model="local", name="Old job", add_ai_watermark=False
    )


def test_without_a_brief_in_progress_it_opens_exactly_the_identitys_brief(
    alice_client, alice, astrid
):
    response = use(alice_client, astrid)
    assert response.status_code == 302
    (item,) = open_brief(alice).instructions
    for group, values in astrid.brief.items():
        assert item[group] == {k: v for k, v in values.items() if v}
    assert response["Location"].endswith(f"#ins-{item['key']}")


def test_with_a_brief_in_progress_it_asks_first_and_changes_nothing(alice_client, alice, astrid):
    before = in_progress(alice)
    response = use(alice_client, astrid)
    assert response.status_code == 200
    assert text_of(response, "h1") == "Replace your brief in progress?"
    assert "teal" in text_of(response, "[data-testid=brief-in-progress]")
    buttons = {b["value"]: b.get_text(strip=True) for b in select(response, "button[name=choice]")}
    assert buttons == {"replace": "Replace", "keep": "Keep both"}
    assert open_brief(alice).instructions == before.instructions


def test_replace_starts_a_fresh_brief_with_nothing_left_over(alice_client, alice, astrid):
    in_progress(alice)
    response = use(alice_client, astrid, choice="replace")
    assert response.status_code == 302
    brief = open_brief(alice)
    (item,) = brief.instructions
    assert item["hair"].get("color") != "teal"
    assert item["hair"] == {k: v for k, v in astrid.brief["hair"].items() if v}
    assert (brief.name, brief.model) == ("", "auto")


def test_keep_both_adds_the_identitys_brief_as_one_more_instruction(alice_client, alice, astrid):
    in_progress(alice)
    use(alice_client, astrid, choice="keep")
    first, second = open_brief(alice).instructions
    assert first["hair"] == {"color": "teal"}
    assert second["hair"] == {k: v for k, v in astrid.brief["hair"].items() if v}


def test_save_as_preset_lists_each_instruction_by_what_it_says_and_saves_the_chosen_one(
    alice_client, alice, astrid
):
    in_progress(alice)
    use(alice_client, astrid, choice="keep")
    brief = open_brief(alice)
    save_url = reverse("identities:wizard_preset_save", args=[brief.public_id])
    panel = alice_client.get(save_url)
    options = [o.get_text(strip=True) for o in select(panel, "select[name=source] option")]
    assert options[0].startswith("Instruction 1: ") and "teal" in options[0]
    assert options[1].startswith("Instruction 2: ")
    chosen = brief.instructions[1]["key"]
    response = alice_client.post(save_url, {"name": "Astrid look", "source": chosen})
    assert response.status_code == 200
    assert select_one(response, "[data-testid=preset-saved]") is not None
    preset = Preset.objects.get(name="Astrid look")
    assert preset.instruction["hair"] == {k: v for k, v in astrid.brief["hair"].items() if v}


def test_use_as_preset_on_charlies_side_is_404(charlie_client, astrid):
    assert use(charlie_client, astrid).status_code == 404
    assert use(charlie_client, astrid, choice="replace").status_code == 404
