"""The Create wizard's services: a brief kept on the server, edited field by field, dispatched
through the same job service as the API."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from config.api.refusals import refusal_api_error
from config.refusals import Refusal
from identities.briefs.payload import to_api_payload
from identities.briefs.request import BriefError
from identities.briefs.vocabulary import FIELDS, GROUPS
from identities.models import Brief, FeatureFlag, Job, Preset
from identities.wizard import presets as wp
from identities.wizard import services as ws
from identities.wizard.check import brief_check
from identities.wizard.convert import brief_to_api
from identities.wizard.presets import preset_create
from identities.wizard.selectors import brief_get_for, preset_get_for, preset_list_for
from tests.conftest import require_postgres

pytestmark = pytest.mark.django_db


def answer(caught):
    """What the API answers for the refusal the service raised."""
    return refusal_api_error(caught.value)


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def brief(alice, account) -> Brief:
    return ws.brief_start(account=account, user=alice)


def key_of(brief: Brief, index: int = 0) -> str:
    return brief.instructions[index]["key"]


def fresh(brief: Brief) -> Brief:
    return Brief.objects.get(pk=brief.pk)


def fill(brief: Brief, index: int = 0, **values: str) -> Brief:
    """Set fields given as group__name=value (appearance__gender="female")."""
    paths = {name.replace("__", "."): value for name, value in values.items()}
    return ws.brief_fields_update(brief=brief, key=key_of(brief, index), values=paths)


# --- starting -----------------------------------------------------------------------------------


def test_start_opens_one_brief_with_one_empty_instruction(brief, alice):
    assert len(brief.instructions) == 1
    item = brief.instructions[0]
    assert item["appearance"] == item["face"] == item["hair"] == {}
    assert item["expert"] is False
    assert item["options"] == {"ar": "3:4", "size": "2K", "format": "jpg"}
    assert ws.brief_start(account=alice.membership.account, user=alice) == brief


def test_a_free_plan_starts_at_its_largest_size(charlie):
    brief = ws.brief_start(account=charlie.membership.account, user=charlie)
    assert brief.instructions[0]["options"]["size"] == "1K"


def test_teammates_each_get_their_own_brief(brief, bob, account):
    assert ws.brief_start(account=account, user=bob) != brief


def test_after_generate_create_opens_a_fresh_brief(brief, alice, account):
    brief = fill(brief, appearance__gender="female")
    job = ws.brief_dispatch(brief=brief, account=account, user=alice)
    assert fresh(brief).last_job == job
    new = ws.brief_start(account=account, user=alice)
    assert new != brief and new.instructions[0]["appearance"] == {}


def test_restart_empties_the_open_brief(brief, alice, account):
    brief = fill(brief, hair__color="red")
    ws.brief_instruction_add(brief=brief)
    restarted = ws.brief_restart(account=account, user=alice)
    assert restarted.pk == brief.pk
    assert len(restarted.instructions) == 1
    assert restarted.instructions[0]["hair"] == {}


def test_a_brief_is_found_only_inside_its_account(brief, account, charlie):
    assert brief_get_for(account=account, public_id=brief.public_id) == brief
    with pytest.raises(Http404):
        brief_get_for(account=charlie.membership.account, public_id=brief.public_id)


# --- editing ------------------------------------------------------------------------------------


def test_fields_are_saved_one_by_one_and_blank_clears(brief):
    brief = fill(brief, appearance__gender="female", face__eyes="pale blue")
    brief = fill(brief, face__eyes="  ")
    assert fresh(brief).instructions[0]["appearance"] == {"gender": "female"}
    assert fresh(brief).instructions[0]["face"] == {}


def test_a_stale_tab_is_refused_and_the_other_tabs_edit_is_kept(brief):
    tab_a, tab_b = fresh(brief), fresh(brief)
    saved = ws.brief_fields_update(brief=tab_a, key=key_of(brief), values={"appearance.age": "28"})
    assert saved.version == tab_a.version + 1
    with pytest.raises(ws.StaleBrief):
        ws.brief_fields_update(brief=tab_b, key=key_of(brief), values={"hair.color": "red"})
    item = fresh(brief).instructions[0]
    assert item["appearance"] == {"age": "28"}
    assert item["hair"] == {}
    assert fresh(brief).version == saved.version


def test_each_write_bumps_the_version_so_the_same_tab_can_keep_editing(brief):
    start = brief.version
    brief = ws.brief_fields_update(brief=brief, key=key_of(brief), values={"appearance.age": "28"})
    brief, _ = ws.brief_instruction_add(brief=brief)
    brief = ws.brief_expert_set(brief=brief, key=key_of(brief), expert=True)
    assert brief.version == fresh(brief).version == start + 3


def test_a_stale_tab_cannot_generate(brief, alice):
    brief = fill(brief, appearance__age="30")
    stale = fresh(brief)
    ws.brief_fields_update(brief=brief, key=key_of(brief), values={"appearance.age": "40"})
    with pytest.raises(ws.StaleBrief):
        ws.brief_dispatch(brief=stale, account=stale.account, user=alice)
    assert fresh(brief).last_job is None


def test_a_chip_fills_its_field_and_a_second_click_clears_it(brief):
    chip = ("appearance.size", "M")
    brief = ws.brief_fields_update(brief=brief, key=key_of(brief), values={}, chip=chip)
    assert brief.instructions[0]["appearance"] == {"size": "M"}
    brief = ws.brief_fields_update(brief=brief, key=key_of(brief), values={}, chip=chip)
    assert brief.instructions[0]["appearance"] == {}


def test_a_chip_replaces_free_text(brief):
    brief = fill(brief, hair__color="blue-black")
    chip = ("hair.color", "auburn")
    brief = ws.brief_fields_update(brief=brief, key=key_of(brief), values={}, chip=chip)
    assert brief.instructions[0]["hair"] == {"color": "auburn"}


def test_a_value_that_is_not_a_suggestion_is_refused_as_a_chip(brief):
    with pytest.raises(ValidationError):
        ws.brief_fields_update(
            brief=brief, key=key_of(brief), values={}, chip=("hair.color", "plaid")
        )


def test_editing_a_removed_instruction_says_it_is_gone(brief):
    with pytest.raises(ws.InstructionGone):
        ws.brief_fields_update(brief=brief, key="nope", values={"hair.color": "red"})


def test_instructions_add_up_to_five(brief):
    for _ in range(4):
        brief, _ = ws.brief_instruction_add(brief=brief)
    assert len(brief.instructions) == 5
    with pytest.raises(ws.WizardLimit):
        ws.brief_instruction_add(brief=brief)
    with pytest.raises(ws.WizardLimit):
        ws.brief_instruction_duplicate(brief=brief, key=key_of(brief))


def test_duplicate_inserts_a_copy_right_after_the_original(brief):
    brief = fill(brief, hair__color="red")
    brief, _ = ws.brief_instruction_add(brief=brief)
    brief, copy_key = ws.brief_instruction_duplicate(brief=brief, key=key_of(brief))
    assert [i["key"] for i in brief.instructions].index(copy_key) == 1
    assert brief.instructions[1]["hair"] == {"color": "red"}
    # The copy is its own instruction: editing it leaves the original alone.
    brief = fill(brief, 1, hair__color="black")
    assert fresh(brief).instructions[0]["hair"] == {"color": "red"}


def test_the_only_instruction_cannot_be_removed(brief):
    with pytest.raises(ws.WizardLimit):
        ws.brief_instruction_remove(brief=brief, key=key_of(brief))
    brief, added = ws.brief_instruction_add(brief=brief)
    brief = ws.brief_instruction_remove(brief=brief, key=key_of(brief))
    assert [i["key"] for i in brief.instructions] == [added]


def test_expert_mode_sends_the_prompt_alone_and_keeps_the_fields(brief):
    brief = fill(brief, appearance__gender="female")
    brief = ws.brief_fields_update(brief=brief, key=key_of(brief), values={"prompt": "A woman."})
    brief = ws.brief_expert_set(brief=brief, key=key_of(brief), expert=True)
    instruction = brief_to_api(brief)["instructions"][0]
    assert instruction["prompt"] == "A woman."
    assert "appearance" not in instruction
    brief = ws.brief_expert_set(brief=brief, key=key_of(brief), expert=False)
    instruction = brief_to_api(brief)["instructions"][0]
    assert instruction["appearance"] == {"gender": "female"} and "prompt" not in instruction


def test_review_choices_are_saved_per_instruction(brief):
    brief, second = ws.brief_instruction_add(brief=brief)
    choices = {second: {"num_variations": 4, "ar": "1:1", "size": "1K", "format": "png"}}
    brief = ws.brief_options_update(
        brief=brief, instructions=choices, model="local", name="Spring", add_ai_watermark=False
    )
    assert brief.instructions[0]["options"]["ar"] == "3:4"
    assert brief.instructions[1]["options"] == {"ar": "1:1", "size": "1K", "format": "png"}
    assert brief.instructions[1]["num_variations"] == 4
    assert (brief.model, brief.name) == ("local", "Spring")


# --- checking -----------------------------------------------------------------------------------


def test_a_valid_brief_shows_the_exact_api_payload_and_its_cost(brief):
    brief = fill(brief, appearance__age="28", hair__color="ash blonde")
    check = brief_check(brief=brief)
    assert check.errors == ()
    assert check.payload == to_api_payload(check.request)
    assert check.payload["instructions"][0]["appearance"] == {"age": 28}
    # In-house engine, 2K: 2 credits per brief.
    assert check.quote == 2


def test_an_invalid_brief_lists_every_problem_on_its_path(brief):
    brief = fill(brief, appearance__age="12", face__marks="just like Gigi Hadid")
    check = brief_check(brief=brief)
    fields = {e.field for e in check.errors}
    assert fields == {"instructions[0].appearance.age", "instructions[0].face.marks"}
    assert check.blocked_term == "Gigi Hadid"
    assert check.quote is None
    # The best-effort payload still shows what would be sent.
    assert check.payload["instructions"][0]["appearance"] == {"age": "12"}


# --- dispatching --------------------------------------------------------------------------------


def test_generate_creates_the_job_the_api_would(brief, alice, account):
    brief = fill(brief, appearance__gender="male")
    choices = {key_of(brief): {"num_variations": 2, "ar": "1:1", "size": "1K", "format": "png"}}
    brief = ws.brief_options_update(
        brief=brief, instructions=choices, model="local", name="Look A", add_ai_watermark=False
    )
    job = ws.brief_dispatch(brief=brief, account=account, user=alice)
    assert job.request == brief_check(brief=brief).payload
    assert job.name == "Look A"
    assert job.drafts.count() == 2


def test_generate_refuses_a_real_persons_name(brief, alice, account):
    brief = fill(brief, face__marks="Gigi Hadid's freckles")
    with pytest.raises(BriefError) as caught:
        ws.brief_dispatch(brief=brief, account=account, user=alice)
    assert caught.value.blocked_term == "Gigi Hadid"
    assert not Job.objects.exists()


def test_generate_without_enough_credits_answers_402_with_the_amounts(charlie):
    account = charlie.membership.account
    brief = ws.brief_start(account=account, user=charlie)
    brief = fill(brief, appearance__gender="female")
    choices = {key_of(brief): {"num_variations": 8, "ar": "3:4", "size": "1K", "format": "jpg"}}
    brief = ws.brief_options_update(
        brief=brief, instructions=choices, model="auto", name="", add_ai_watermark=False
    )
    account.credit_balance = 5
    account.save(update_fields=["credit_balance"])
    with pytest.raises(Refusal) as caught:
        ws.brief_dispatch(brief=brief, account=account, user=charlie)
    assert answer(caught).status == 402
    assert answer(caught).extra == {
        "required_credits": 8,
        "in_progress_credits": 0,
        "user_credits": 5,
    }
    assert fresh(brief).last_job is None


def test_generate_above_the_plan_size_answers_403(charlie):
    account = charlie.membership.account
    brief = ws.brief_start(account=account, user=charlie)
    brief = fill(brief, appearance__gender="female")
    choices = {key_of(brief): {"num_variations": 1, "ar": "3:4", "size": "4K", "format": "jpg"}}
    brief = ws.brief_options_update(
        brief=brief, instructions=choices, model="auto", name="", add_ai_watermark=False
    )
    with pytest.raises(Refusal) as caught:
        ws.brief_dispatch(brief=brief, account=account, user=charlie)
    assert answer(caught).status == 403
    assert answer(caught).detail[0].field == "instructions[0].options.size"


def test_generate_while_creation_is_off_answers_503_with_the_admins_message(brief, alice, account):
    FeatureFlag.objects.filter(name=FeatureFlag.IDENTITY_CREATION).update(
        enabled=False, message="Back at 14:00 UTC."
    )
    brief = fill(brief, appearance__gender="female")
    with pytest.raises(Refusal) as caught:
        ws.brief_dispatch(brief=brief, account=account, user=alice)
    assert (answer(caught).status, answer(caught).error) == (503, "Back at 14:00 UTC.")


# --- presets ------------------------------------------------------------------------------------


@pytest.fixture
def catalog_preset(reference_data) -> Preset:
    return Preset.objects.create(
        account=None,
        name="QA catalog look",
        instruction={
            "appearance": {"gender": "female", "age": 28},
            "face": {"skin": "light", "eyes": "blue"},
            "num_variations": 3,
            "options": {"ar": "4:5", "size": "4K", "format": "png"},
        },
    )


def test_loading_a_preset_fills_the_instruction_in_place(brief, catalog_preset):
    brief, key = wp.brief_preset_load(brief=brief, preset=catalog_preset, key=key_of(brief))
    item = brief.instructions[0]
    assert key == item["key"]
    assert item["appearance"] == {"gender": "female", "age": "28", "skin": "light"}
    assert item["face"] == {"eyes": "blue"}
    assert item["num_variations"] == 3
    assert item["options"] == {"ar": "4:5", "size": "4K", "format": "png"}


def test_a_preset_size_above_the_plan_is_not_loaded(charlie, catalog_preset):
    brief = ws.brief_start(account=charlie.membership.account, user=charlie)
    brief, _ = wp.brief_preset_load(brief=brief, preset=catalog_preset, key=None)
    assert [i["options"]["size"] for i in brief.instructions] == ["1K", "1K"]


def test_an_expert_preset_loads_in_expert_mode(brief, account, alice):
    preset = Preset.objects.create(account=account, name="Prose", instruction={"prompt": "A man."})
    brief, _ = wp.brief_preset_load(brief=brief, preset=preset, key=key_of(brief))
    assert brief.instructions[0]["expert"] is True
    assert brief.instructions[0]["prompt"] == "A man."


def test_saving_a_preset_stores_the_instruction_in_the_api_shape(brief, alice, account):
    brief = fill(brief, appearance__age="28", hair__color="red")
    preset = wp.brief_preset_save(brief=brief, key=key_of(brief), user=alice, name=" Redhead ")
    assert preset.account == account and preset.name == "Redhead"
    assert preset.instruction["appearance"] == {"age": 28}
    assert preset.instruction["hair"] == {"color": "red"}


def test_a_preset_name_is_unique_in_the_workspace(brief, alice):
    brief = fill(brief, hair__color="red")
    wp.brief_preset_save(brief=brief, key=key_of(brief), user=alice, name="Redhead")
    with pytest.raises(ValidationError) as caught:
        wp.brief_preset_save(brief=brief, key=key_of(brief), user=alice, name="Redhead")
    assert "already have a preset named" in caught.value.message_dict["name"][0]


def test_an_empty_or_invalid_instruction_is_not_saved_as_a_preset(brief, alice):
    with pytest.raises(ValidationError) as caught:
        wp.brief_preset_save(brief=brief, key=key_of(brief), user=alice, name="Nothing")
    assert "cannot be saved yet" in caught.value.message_dict["source"][0]
    assert not Preset.objects.filter(name="Nothing").exists()


def test_presets_list_the_accounts_and_the_catalogs(account, charlie, catalog_preset, alice):
    brief = fill(ws.brief_start(account=account, user=alice), hair__color="red")
    mine = wp.brief_preset_save(brief=brief, key=key_of(brief), user=alice, name="Mine")
    other = charlie.membership.account
    own, catalog = preset_list_for(account=account)
    assert list(own) == [mine]
    assert catalog_preset in catalog
    assert preset_get_for(account=account, preset_id=catalog_preset.pk) == catalog_preset
    with pytest.raises(Http404):
        preset_get_for(account=other, preset_id=mine.pk)


def test_preset_create_needs_a_name(account, alice):
    from identities.briefs.request import Instruction

    with pytest.raises(ValidationError):
        preset_create(account=account, user=alice, name="  ", instruction=Instruction())


def test_the_catalog_ships_presets_for_load_preset(db):
    assert Preset.objects.filter(account__isnull=True, name="Nordic editorial").exists()


# --- races (PostgreSQL) -------------------------------------------------------------------------


def _race(count: int, work) -> list:
    """Run `work(i)` in `count` threads released together; returns what each returned."""
    barrier = threading.Barrier(count)
    results, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = work(i)
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_from_one_copy_land_once_and_the_rest_are_refused(alice):
    require_postgres()
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    paths = [f.path for f in FIELDS][:12]

    def edit(i):
        # Every thread starts from the same copy, like tabs opened before any edit.
        try:
            ws.brief_fields_update(brief=brief, key=key_of(brief), values={paths[i]: f"v{i}"})
        except ws.StaleBrief:
            return None
        return paths[i]

    landed = [path for path in _race(len(paths), edit) if path]
    assert len(landed) == 1
    item = fresh(brief).instructions[0]
    saved = {f"{group}.{name}": value for group in GROUPS for name, value in item[group].items()}
    assert saved == {landed[0]: f"v{paths.index(landed[0])}"}
    assert fresh(brief).version == brief.version + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_open_one_brief(alice):
    require_postgres()
    account = alice.membership.account
    opened = _race(10, lambda i: ws.brief_start(account=account, user=alice).pk)
    assert len(set(opened)) == 1
    assert Brief.objects.filter(user=alice).count() == 1
