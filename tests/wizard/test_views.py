"""The Create wizard's pages. Each view: the happy path (status, content, database effect), the
htmx partial, the full page, and denial for Charlie on Alice's brief."""

import pytest
from django.urls import reverse

from identities.models import Brief, FeatureFlag, Job, Preset
from identities.wizard import services as ws
from tests.html import select, select_one, soup, text_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def brief(alice) -> Brief:
    return ws.brief_start(account=alice.membership.account, user=alice)


@pytest.fixture
def key(brief) -> str:
    return brief.instructions[0]["key"]


def url(name: str, brief: Brief, *args) -> str:
    return reverse(f"identities:wizard_{name}", args=[brief.public_id, *args])


def fresh(brief: Brief) -> Brief:
    return Brief.objects.get(pk=brief.pk)


def filled(brief: Brief, **values) -> Brief:
    paths = {name.replace("__", "."): value for name, value in values.items()}
    return ws.brief_fields_update(brief=brief, key=brief.instructions[0]["key"], values=paths)


def is_full_page(response) -> bool:
    return select_one(response, "header.topbar") is not None


def review_data(brief: Brief, **overrides) -> dict:
    """The Review form as the browser posts it."""
    data = {"model": brief.model, "name": brief.name}
    for item in brief.instructions:
        k, options = item["key"], item["options"]
        data.update(
            {
                f"{k}-num_variations": item["num_variations"],
                f"{k}-ar": options["ar"],
                f"{k}-size": options["size"],
                f"{k}-format": options["format"],
            }
        )
    data.update(overrides)
    return data


# --- Create (start) -----------------------------------------------------------------------------


def test_create_opens_the_brief_in_progress_at_its_own_address(alice_client, alice):
    response = alice_client.get(reverse("identities:wizard_start"))
    brief = Brief.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == url("configure", brief)
    alice_client.get(reverse("identities:wizard_start"))
    assert Brief.objects.filter(user=alice).count() == 1


def test_create_from_htmx_answers_the_same_redirect(alice_client, brief):
    response = alice_client.get(reverse("identities:wizard_start"), **HX)
    assert response.status_code == 302
    assert response["Location"] == url("configure", brief)


def test_create_lands_on_the_full_configure_page(alice_client):
    response = alice_client.get(reverse("identities:wizard_start"), follow=True)
    assert response.status_code == 200
    assert text_of(response, "h1") == "Create identities"
    assert len(select(response, "article.wz-ins")) == 1


def test_create_never_reopens_someone_elses_brief(charlie_client, charlie, brief):
    response = charlie_client.get(reverse("identities:wizard_start"))
    assert response["Location"] != url("configure", brief)
    assert Brief.objects.get(user=charlie).account == charlie.membership.account


# --- Start over ---------------------------------------------------------------------------------


def test_start_over_empties_the_brief(alice_client, brief):
    filled(brief, hair__color="red")
    response = alice_client.post(reverse("identities:wizard_restart"))
    assert response.status_code == 302
    assert response["Location"] == url("configure", brief)
    assert fresh(brief).instructions[0]["hair"] == {}


def test_start_over_from_htmx_sends_the_browser_to_the_brief(alice_client, brief):
    response = alice_client.post(reverse("identities:wizard_restart"), **HX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == url("configure", brief)


def test_start_over_shows_the_full_empty_page(alice_client, brief):
    filled(brief, hair__color="red")
    response = alice_client.post(reverse("identities:wizard_restart"), follow=True)
    assert is_full_page(response)
    key = fresh(brief).instructions[0]["key"]
    assert select_one(response, f"#f-{key}-hair-color-input")["value"] == ""


def test_start_over_by_charlie_leaves_alices_brief_alone(charlie_client, brief):
    brief = filled(brief, hair__color="red")
    charlie_client.post(reverse("identities:wizard_restart"))
    assert fresh(brief).instructions[0]["hair"] == {"color": "red"}
    assert charlie_client.get(reverse("identities:wizard_restart")).status_code == 405


# --- Configure ----------------------------------------------------------------------------------


def test_configure_shows_the_fields_with_their_chips(alice_client, brief, key):
    filled(brief, appearance__size="M")
    response = alice_client.get(url("configure", brief))
    assert response.status_code == 200
    groups = [h.get_text() for h in select(response, ".wz-group h3")]
    assert groups == ["Appearance", "Face", "Hair"]
    size = select_one(response, f"#f-{key}-appearance-size")
    assert size.select_one("input")["value"] == "M"
    pressed = size.select('.chip[aria-pressed="true"]')
    assert [chip["value"] for chip in pressed] == ["appearance.size=M"]
    assert "EU 40–42" in pressed[0].get_text()
    assert all(chip["type"] == "submit" for chip in size.select(".chip"))


def test_configure_for_htmx_is_the_wizard_body(alice_client, brief):
    response = alice_client.get(url("configure", brief), **HX)
    assert response.status_code == 200
    assert select_one(response, "#wizard-body") is not None
    assert not is_full_page(response)


def test_configure_on_a_history_restore_is_the_full_page(alice_client, brief):
    headers = {**HX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    response = alice_client.get(url("configure", brief), **headers)
    assert is_full_page(response)
    assert select_one(response, "#json-details")


def test_configure_of_alices_brief_is_404_for_charlie(charlie_client, brief):
    assert charlie_client.get(url("configure", brief)).status_code == 404


def test_a_teammate_can_open_a_shared_brief(bob_client, brief):
    assert bob_client.get(url("configure", brief)).status_code == 200


def test_the_inspector_opens_from_its_link_without_javascript(alice_client, brief):
    filled(brief, appearance__gender="female")
    response = alice_client.get(url("configure", brief) + "?inspect=1")
    assert select_one(response, "#json-details").has_attr("open")
    assert '"gender": "female"' in text_of(response, "#json-code")


# --- Saving a field -----------------------------------------------------------------------------


def test_typing_saves_the_field_and_answers_its_chips(alice_client, brief, key):
    response = alice_client.post(
        url("instruction_save", brief, key), {"appearance.age": "28"}, **HX
    )
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["appearance"] == {"age": "28"}
    extra = select_one(response, f"#f-{key}-appearance-age-extra")
    assert extra.select_one('.chip[aria-pressed="true"]')["value"] == "appearance.age=28"
    # The input itself is not re-rendered (the user may still be typing).
    assert select_one(response, f"#f-{key}-appearance-age-input") is None
    # Out of band: the inspector, the summary and the instruction's status.
    assert select_one(response, "#json-content")["hx-swap-oob"] == "true"
    assert '"age": 28' in text_of(response, "#json-code")
    assert text_of(response, "[data-testid=summary-cost]") == "2 credits"
    assert text_of(response, f"#status-{key}") == "1 field set"


def test_clicking_a_chip_answers_the_whole_field(alice_client, brief, key):
    data = {"chip": "appearance.gender=female"}
    response = alice_client.post(url("instruction_save", brief, key), data, **HX)
    assert response.status_code == 200
    field = select_one(response, f"#f-{key}-appearance-gender")
    assert field.select_one("input")["value"] == "female"
    assert field.select_one("#f-" + key + "-appearance-gender-chip-0")["aria-pressed"] == "true"
    again = alice_client.post(url("instruction_save", brief, key), data, **HX)
    assert select_one(again, f"#f-{key}-appearance-gender input")["value"] == ""
    assert fresh(brief).instructions[0]["appearance"] == {}


def test_a_chip_posted_with_the_whole_instruction_answers_the_card(alice_client, brief, key):
    # What the instruction form sends when a chip reaches it instead of its own hx-post: the
    # form's target is the card, so the answer is the card, never a lone field in its place.
    data = {"hair.color": "platinum blonde", "face.eyes": "", "chip": "hair.color=platinum blonde"}
    response = alice_client.post(url("instruction_save", brief, key), data, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#ins-{key}"
    assert select_one(response, f"article#ins-{key}") is not None
    assert select_one(response, f"#f-{key}-hair-color-input")["value"] == ""
    assert fresh(brief).instructions[0]["hair"] == {}


def test_without_javascript_the_form_saves_every_field_and_returns_to_the_page(
    alice_client, brief, key
):
    data = {"appearance.gender": "male", "hair.color": "black", "face.eyes": "", "save": "1"}
    response = alice_client.post(url("instruction_save", brief, key), data)
    assert response.status_code == 302
    assert response["Location"].startswith(url("configure", brief) + "#")
    item = fresh(brief).instructions[0]
    assert item["appearance"] == {"gender": "male"} and item["hair"] == {"color": "black"}


def test_a_problem_in_a_field_shows_under_it(alice_client, brief, key):
    response = alice_client.post(
        url("instruction_save", brief, key), {"appearance.age": "15"}, **HX
    )
    assert response.status_code == 200
    errors = text_of(response, f"#f-{key}-appearance-age-extra-errors")
    assert "18 or over" in errors
    assert select_one(response, "[data-testid=json-problems]") is not None


def test_a_value_over_the_limit_is_refused_with_422(alice_client, brief, key):
    data = {"appearance.gender": "x" * 41}
    response = alice_client.post(url("instruction_save", brief, key), data, **HX)
    assert response.status_code == 422
    assert "at most 40" in text_of(response, f"#f-{key}-appearance-gender-extra-errors")
    assert fresh(brief).instructions[0]["appearance"] == {}


def test_a_chip_that_is_not_a_suggestion_is_refused_on_its_field(alice_client, brief, key):
    data = {"chip": "hair.color=plaid"}
    response = alice_client.post(url("instruction_save", brief, key), data, **HX)
    assert response.status_code == 422
    assert "not a suggestion" in text_of(response, f"#f-{key}-hair-color-extra-errors")
    assert fresh(brief).instructions[0]["hair"] == {}


def test_saving_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    data = {"appearance.age": "40"}
    assert charlie_client.post(url("instruction_save", brief, key), data, **HX).status_code == 404
    assert fresh(brief).instructions[0]["appearance"] == {}


def test_saving_an_instruction_removed_in_another_tab_is_404(alice_client, brief):
    data = {"appearance.age": "40"}
    assert alice_client.post(url("instruction_save", brief, "gone"), data, **HX).status_code == 404


# --- Add, duplicate, remove ---------------------------------------------------------------------


def test_add_instruction_answers_the_body_with_focus_on_the_new_one(alice_client, brief):
    response = alice_client.post(url("instruction_add", brief), **HX)
    assert response.status_code == 200
    added = fresh(brief).instructions[1]["key"]
    assert len(select(response, "article.wz-ins")) == 2
    assert select_one(response, f"#ins-{added}-title").has_attr("autofocus")
    assert text_of(response, "[data-testid=summary-drafts]") == "2"


def test_add_instruction_without_javascript_redirects_to_it(alice_client, brief):
    response = alice_client.post(url("instruction_add", brief))
    added = fresh(brief).instructions[1]["key"]
    assert response.status_code == 302
    assert response["Location"] == url("configure", brief) + f"#ins-{added}"


def test_at_five_instructions_add_is_disabled_with_the_reason(alice_client, brief):
    for _ in range(4):
        brief, _ = ws.brief_instruction_add(brief=brief)
    page = soup(alice_client.get(url("configure", brief)))
    assert page.select_one("#btn-add-instruction").has_attr("disabled")
    assert "at most 5 instructions" in page.select_one("#add-limit").get_text()
    forced = alice_client.post(url("instruction_add", brief), **HX)
    assert forced.status_code == 422
    assert "at most 5 instructions" in text_of(forced, "[data-testid=add-error]")


def test_add_instruction_to_alices_brief_is_404_for_charlie(charlie_client, brief):
    assert charlie_client.post(url("instruction_add", brief), **HX).status_code == 404
    assert len(fresh(brief).instructions) == 1


def test_duplicate_copies_the_instruction(alice_client, brief, key):
    filled(brief, hair__color="red")
    response = alice_client.post(url("instruction_duplicate", brief, key), **HX)
    assert response.status_code == 200
    copy = fresh(brief).instructions[1]
    assert copy["hair"] == {"color": "red"} and copy["key"] != key
    assert select_one(response, f"#f-{copy['key']}-hair-color-input")["value"] == "red"


def test_duplicate_without_javascript_redirects(alice_client, brief, key):
    response = alice_client.post(url("instruction_duplicate", brief, key))
    assert response.status_code == 302
    assert len(fresh(brief).instructions) == 2


def test_duplicate_then_the_full_page_shows_both(alice_client, brief, key):
    response = alice_client.post(url("instruction_duplicate", brief, key), follow=True)
    assert is_full_page(response)
    assert [h.get_text() for h in select(response, ".wz-ins h2")] == [
        "Instruction 1",
        "Instruction 2",
    ]


def test_duplicate_in_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    assert charlie_client.post(url("instruction_duplicate", brief, key)).status_code == 404


def test_remove_drops_the_instruction(alice_client, brief):
    brief, second = ws.brief_instruction_add(brief=brief)
    first = brief.instructions[0]["key"]
    response = alice_client.post(url("instruction_remove", brief, first), **HX)
    assert response.status_code == 200
    assert [i["key"] for i in fresh(brief).instructions] == [second]
    assert select_one(response, f"#ins-{second}-title").has_attr("autofocus")


def test_the_only_instruction_cannot_be_removed(alice_client, brief, key):
    page = alice_client.get(url("configure", brief))
    assert select_one(page, f"#remove-{key}").has_attr("disabled")
    response = alice_client.post(url("instruction_remove", brief, key), **HX)
    assert response.status_code == 422
    assert "at least one instruction" in text_of(response, "[data-testid=add-error]")


def test_remove_without_javascript_redirects(alice_client, brief):
    brief, second = ws.brief_instruction_add(brief=brief)
    response = alice_client.post(url("instruction_remove", brief, second))
    assert response.status_code == 302
    assert len(fresh(brief).instructions) == 1


def test_remove_in_alices_brief_is_404_for_charlie(charlie_client, brief):
    brief, second = ws.brief_instruction_add(brief=brief)
    assert charlie_client.post(url("instruction_remove", brief, second)).status_code == 404


# --- Expert mode --------------------------------------------------------------------------------


def test_the_lock_asks_for_confirmation_first(alice_client, brief, key):
    response = alice_client.get(url("expert", brief, key), **HX)
    assert response.status_code == 200
    assert not is_full_page(response)
    assert "verbatim" in text_of(response, "[data-testid=expert-confirm]")
    assert "ignored" in text_of(response, "[data-testid=expert-confirm]")
    assert fresh(brief).instructions[0]["expert"] is False


def test_the_confirmation_without_javascript_is_the_page_with_the_panel_open(
    alice_client, brief, key
):
    response = alice_client.get(url("expert", brief, key))
    assert is_full_page(response)
    assert select_one(response, f"#tool-{key} [data-testid=expert-confirm]") is not None


def test_confirming_unlocks_the_prompt_and_greys_the_fields(alice_client, brief, key):
    response = alice_client.post(url("expert", brief, key), {"expert": "on"}, **HX)
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["expert"] is True
    assert select_one(response, f"#prompt-{key}-input").has_attr("autofocus")
    fieldset = select_one(response, f"#form-{key} fieldset.wz-brief")
    assert fieldset.has_attr("disabled") and fieldset["aria-disabled"] == "true"
    assert select_one(response, f"#expert-{key}")["aria-pressed"] == "true"
    back = alice_client.post(url("expert", brief, key), {"expert": "off"}, **HX)
    assert not select_one(back, f"#form-{key} fieldset.wz-brief").has_attr("disabled")
    assert fresh(brief).instructions[0]["expert"] is False


def test_expert_mode_of_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    assert charlie_client.get(url("expert", brief, key)).status_code == 404
    assert charlie_client.post(url("expert", brief, key), {"expert": "on"}).status_code == 404


# --- Load Preset --------------------------------------------------------------------------------


@pytest.fixture
def own_preset(alice) -> Preset:
    return Preset.objects.create(
        account=alice.membership.account,
        name="House look",
        instruction={"hair": {"color": "auburn", "length": "long"}},
    )


def test_load_preset_lists_the_accounts_and_the_catalogs(alice_client, brief, own_preset):
    Preset.objects.create(account=None, name="QA catalog look", instruction={})
    response = alice_client.get(url("presets", brief), **HX)
    assert response.status_code == 200
    assert not is_full_page(response)
    assert "House look" in text_of(response, "[data-testid=own-presets]")
    assert "QA catalog look" in text_of(response, "[data-testid=catalog-presets]")
    # An untouched instruction is where the preset goes by default.
    target = select_one(response, "select[name=target] option[selected]")
    assert target["value"] == brief.instructions[0]["key"]


def test_load_preset_without_javascript_is_the_page_with_the_panel(alice_client, brief):
    response = alice_client.get(url("presets", brief))
    assert is_full_page(response)
    assert select_one(response, "#wizard-panel [data-testid=presets-panel]") is not None


def test_load_preset_hides_other_accounts_presets(alice_client, brief, charlie):
    Preset.objects.create(account=charlie.membership.account, name="Charlie's", instruction={})
    response = alice_client.get(url("presets", brief), **HX)
    assert "Charlie's" not in response.content.decode()


def test_load_preset_of_alices_brief_is_404_for_charlie(charlie_client, brief):
    assert charlie_client.get(url("presets", brief)).status_code == 404


def test_loading_a_preset_fills_the_instruction(alice_client, brief, key, own_preset):
    data = {"preset": own_preset.pk, "target": key}
    response = alice_client.post(url("preset_load", brief), data, **HX)
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["hair"] == {"color": "auburn", "length": "long"}
    assert select_one(response, f"#f-{key}-hair-color-input")["value"] == "auburn"
    assert "House look" in text_of(response, "[data-testid=preset-loaded]")


def test_loading_a_preset_into_a_new_instruction_without_javascript(
    alice_client, brief, own_preset
):
    data = {"preset": own_preset.pk, "target": "new"}
    response = alice_client.post(url("preset_load", brief), data)
    assert response.status_code == 302
    assert fresh(brief).instructions[1]["hair"]["color"] == "auburn"


def test_loading_another_accounts_preset_is_404(alice_client, brief, key, charlie):
    theirs = Preset.objects.create(account=charlie.membership.account, name="X", instruction={})
    data = {"preset": theirs.pk, "target": key}
    assert alice_client.post(url("preset_load", brief), data, **HX).status_code == 404


def test_loading_a_preset_into_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    catalog = Preset.objects.create(account=None, name="QA catalog look", instruction={})
    data = {"preset": catalog.pk, "target": key}
    assert charlie_client.post(url("preset_load", brief), data).status_code == 404


# --- Save as preset -----------------------------------------------------------------------------


def test_save_as_preset_stores_the_instruction(alice_client, alice, brief, key):
    filled(brief, hair__color="red")
    response = alice_client.post(url("preset_save", brief), {"name": "Red", "source": key}, **HX)
    assert response.status_code == 200
    preset = Preset.objects.get(account=alice.membership.account, name="Red")
    assert preset.instruction["hair"] == {"color": "red"}
    assert "Saved the preset “Red”" in text_of(response, "[data-testid=preset-saved]")


def test_save_as_preset_form_for_htmx_is_the_panel(alice_client, brief):
    response = alice_client.get(url("preset_save", brief), **HX)
    assert response.status_code == 200
    assert not is_full_page(response)
    assert select_one(response, "input[name=name]") is not None


def test_save_as_preset_with_a_used_name_shows_the_error_in_the_form(alice_client, brief, key):
    filled(brief, hair__color="red")
    alice_client.post(url("preset_save", brief), {"name": "Red", "source": key}, **HX)
    response = alice_client.post(url("preset_save", brief), {"name": "Red", "source": key}, **HX)
    assert response.status_code == 422
    assert "already have a preset named “Red”" in text_of(response, ".field.has-error")


def test_save_as_preset_without_javascript_is_the_page_with_the_panel(alice_client, brief, key):
    response = alice_client.post(url("preset_save", brief), {"name": "", "source": key})
    assert response.status_code == 422
    assert is_full_page(response)
    assert select_one(response, "#wizard-panel [data-testid=save-preset-panel]") is not None


def test_save_as_preset_from_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    data = {"name": "Stolen", "source": key}
    assert charlie_client.post(url("preset_save", brief), data).status_code == 404
    assert not Preset.objects.filter(name="Stolen").exists()


# --- Review -------------------------------------------------------------------------------------


def test_review_shows_the_choices_cost_and_balance(alice_client, brief, key):
    filled(brief, appearance__gender="female")
    response = alice_client.get(url("review", brief))
    assert response.status_code == 200
    assert select_one(response, f"#r-{key}-size-2K")["checked"] is not None
    assert text_of(response, "[data-testid=review-cost]").startswith("1 draft for 2 credits")
    assert text_of(response, "[data-testid=summary-balance]") == "500 credits"
    assert text_of(response, "[data-testid=brief-summary]") == "female"


def test_review_disables_what_the_plan_cannot_serve_with_the_reason(charlie_client, charlie):
    brief = ws.brief_start(account=charlie.membership.account, user=charlie)
    key = brief.instructions[0]["key"]
    response = charlie_client.get(url("review", brief))
    assert select_one(response, f"#r-{key}-size-4K").has_attr("disabled")
    assert not select_one(response, f"#r-{key}-size-1K").has_attr("disabled")
    assert text_of(response, "[data-testid=why-size]") == "Your Free plan allows up to 1K."


def test_review_disables_what_the_engine_cannot_serve(alice_client, brief, key):
    brief.model = "orbita"
    brief.save()
    response = alice_client.get(url("review", brief))
    assert select_one(response, f"#r-{key}-ar-4-5").has_attr("disabled")
    assert text_of(response, "[data-testid=why-ar]") == "orbita does not support 4:5, 5:4, 21:9."
    # 2K is what the brief holds: still selectable, with the problem beside it.
    assert not select_one(response, f"#r-{key}-size-2K").has_attr("disabled")
    assert "orbita supports sizes 1K only" in text_of(response, f"#{key}-size-why")


def test_review_changes_are_saved_and_answer_the_form(alice_client, brief, key):
    filled(brief, appearance__gender="female")
    data = review_data(brief, **{f"{key}-num_variations": 3, f"{key}-size": "1K"})
    response = alice_client.post(url("review", brief), data, **HX)
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["num_variations"] == 3
    assert select_one(response, "form#review-form") is not None
    assert not is_full_page(response)
    assert text_of(response, "[data-testid=summary-cost]") == "3 credits"
    assert select_one(response, "#wizard-summary")["hx-swap-oob"] == "true"


def test_review_changes_without_javascript_redirect_back(alice_client, brief, key):
    data = review_data(brief, name="Spring")
    response = alice_client.post(url("review", brief), data)
    assert response.status_code == 302
    assert fresh(brief).name == "Spring"


def test_review_of_alices_brief_is_404_for_charlie(charlie_client, brief):
    assert charlie_client.get(url("review", brief)).status_code == 404
    assert charlie_client.post(url("review", brief), review_data(brief)).status_code == 404


# --- Generate -----------------------------------------------------------------------------------


def one_small_job(brief: Brief, **fields) -> dict:
    """A quick job: one 1K draft from the in-house renderer."""
    brief = filled(brief, **(fields or {"appearance__gender": "female"}))
    key = brief.instructions[0]["key"]
    return review_data(brief, **{f"{key}-size": "1K"})


def test_generate_starts_the_job_and_sends_htmx_to_its_page(
    alice_client, alice, brief, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url("generate", brief), one_small_job(brief), **HX)
    job = Job.objects.get(account=alice.membership.account)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("identities:job_detail", args=[job.public_id])
    assert fresh(brief).last_job == job
    assert job.drafts.get().status == "completed"


def test_generate_without_javascript_redirects_to_the_job_page(alice_client, brief):
    response = alice_client.post(url("generate", brief), one_small_job(brief))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.public_id}/"
    # Back on the brief, the page links to the job; Create now opens a fresh brief.
    page = alice_client.get(url("configure", brief))
    assert select_one(page, "[data-testid=last-job] a")["href"] == f"/jobs/{job.public_id}/"
    assert alice_client.get(reverse("identities:wizard_start"))["Location"] != url(
        "configure", brief
    )


def test_generate_failure_for_htmx_is_the_form_with_the_reason(alice_client, brief):
    data = one_small_job(brief, face__marks="the Gigi Hadid look")
    response = alice_client.post(url("generate", brief), data, **HX)
    assert response.status_code == 422
    assert not is_full_page(response)
    failure = select_one(response, "[data-testid=dispatch-error]")
    assert failure["data-status"] == "400"
    assert text_of(response, "[data-testid=blocked-term]") == "Gigi Hadid"
    problems = text_of(response, "[data-testid=brief-problems]")
    assert "Face › Distinguishing marks" in problems
    assert not Job.objects.exists()


def test_generate_without_enough_credits_shows_the_amounts(charlie_client, charlie):
    account = charlie.membership.account
    account.credit_balance = 2
    account.save(update_fields=["credit_balance"])
    brief = ws.brief_start(account=account, user=charlie)
    key = brief.instructions[0]["key"]
    data = {**one_small_job(brief), f"{key}-num_variations": 5}
    response = charlie_client.post(url("generate", brief), data)
    assert response.status_code == 422
    assert is_full_page(response)
    failure = text_of(response, "[data-testid=dispatch-error]")
    assert select_one(response, "[data-testid=dispatch-error]")["data-status"] == "402"
    assert "needs 5 credits" in failure and "2 available" in failure
    assert "0 reserved" in failure


def test_a_forced_4k_on_a_free_plan_shows_the_plan_limit_next_to_size(charlie_client, charlie):
    brief = ws.brief_start(account=charlie.membership.account, user=charlie)
    key = brief.instructions[0]["key"]
    data = {**one_small_job(brief), f"{key}-size": "4K"}
    response = charlie_client.post(url("generate", brief), data, **HX)
    assert response.status_code == 422
    assert select_one(response, "[data-testid=dispatch-error]")["data-status"] == "403"
    assert "4K is above your Free plan's limit of 1K." in text_of(response, f"#{key}-size-why")


def test_generate_at_the_concurrent_job_cap_says_to_wait(alice_client, alice, brief):
    account = alice.membership.account
    account.plan.concurrent_jobs = 0
    account.plan.save()
    response = alice_client.post(url("generate", brief), one_small_job(brief), **HX)
    assert response.status_code == 422
    assert select_one(response, "[data-testid=dispatch-error]")["data-status"] == "429"
    assert "wait for one to finish" in text_of(response, "[data-testid=dispatch-error]")


def test_with_creation_off_generate_is_disabled_and_says_why(alice_client, brief):
    FeatureFlag.objects.filter(name=FeatureFlag.IDENTITY_CREATION).update(
        enabled=False, message="Maintenance until 14:00 UTC."
    )
    page = alice_client.get(url("review", brief))
    assert select_one(page, "#btn-generate").has_attr("disabled")
    assert "Maintenance until 14:00 UTC." in text_of(page, "[data-testid=generate-off]")
    assert "Maintenance until 14:00 UTC." in text_of(page, "[data-testid=creation-off]")
    forced = alice_client.post(url("generate", brief), one_small_job(brief), **HX)
    assert select_one(forced, "[data-testid=dispatch-error]")["data-status"] == "503"
    assert "Maintenance until 14:00 UTC." in text_of(forced, "[data-testid=dispatch-error]")


def test_generate_from_alices_brief_is_404_for_charlie(charlie_client, brief):
    response = charlie_client.post(url("generate", brief), one_small_job(brief))
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_every_wizard_post_needs_the_csrf_token(alice, brief, key):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(url("instruction_save", brief, key), {"hair.color": "red"}, **HX)
    assert response.status_code == 403
