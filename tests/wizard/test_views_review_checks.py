"""Issue 10's wizard cases as view tests: variations out of range said in the API's words as the
field is left, a stale tab refused, Generate saving the review fields it carries, and the small
frictions (doubled words, the prompt editor's height, the credits event)."""

import pytest
from django.urls import reverse

from identities.briefs.validation import MAX_VARIATIONS
from identities.models import Brief, Job
from identities.wizard import services as ws
from tests.html import select_one, text_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
API_MESSAGE = f"Must be a whole number between 1 and {MAX_VARIATIONS}"
STALE = "This brief was changed in another tab — reload to see it."


@pytest.fixture
def brief(alice) -> Brief:
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    key = brief.instructions[0]["key"]
    return ws.brief_fields_update(brief=brief, key=key, values={"appearance.gender": "female"})


@pytest.fixture
def key(brief) -> str:
    return brief.instructions[0]["key"]


def url(name: str, brief: Brief, *args) -> str:
    return reverse(f"identities:wizard_{name}", args=[brief.public_id, *args])


def fresh(brief: Brief) -> Brief:
    return Brief.objects.get(pk=brief.pk)


def review_data(brief: Brief, **overrides) -> dict:
    data = {"model": "local", "name": brief.name}
    for item in brief.instructions:
        k, options = item["key"], item["options"]
        data.update(
            {
                f"{k}-num_variations": item["num_variations"],
                f"{k}-ar": options["ar"],
                f"{k}-size": "1K",
                f"{k}-format": options["format"],
            }
        )
    data.update(overrides)
    return data


# --- variations out of range ------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("9", 9), ("0", 0), ("-1", -1), ("2.5", 2.5)])
def test_variations_out_of_range_are_kept_and_refused_in_the_apis_words(
    alice_client, brief, key, typed, stored
):
    data = review_data(brief, **{f"{key}-num_variations": typed})
    response = alice_client.post(url("review", brief), data, **HX)

    assert response.status_code == 200
    assert fresh(brief).instructions[0]["num_variations"] == stored
    field = select_one(response, f"#r-{key}-num_variations")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    assert text_of(response, "[data-testid=variations-error]") == API_MESSAGE
    assert "Ensure this value" not in response.content.decode()
    # No impossible job is counted or priced, and Generate waits for a valid count.
    assert text_of(response, "[data-testid=summary-cost]") == "—"
    assert text_of(response, "[data-testid=summary-drafts]") == "—"
    generate = select_one(response, "#btn-generate")
    assert generate.has_attr("disabled")
    assert text_of(response, "#btn-generate") == "Generate"


def test_a_valid_count_again_prices_the_job_and_enables_generate(alice_client, brief, key):
    alice_client.post(
        url("review", brief), review_data(brief, **{f"{key}-num_variations": 9}), **HX
    )
    data = review_data(fresh(brief), **{f"{key}-num_variations": "3"})
    response = alice_client.post(url("review", brief), data, **HX)
    assert select_one(response, "[data-testid=variations-error]") is None
    assert text_of(response, "[data-testid=summary-drafts]") == "3"
    assert not select_one(response, "#btn-generate").has_attr("disabled")
    assert text_of(response, "#btn-generate") == "Generate 3 drafts"


def test_generating_nine_variations_without_javascript_starts_no_job(alice_client, brief, key):
    data = review_data(brief, **{f"{key}-num_variations": "9"})
    response = alice_client.post(url("generate", brief), data)
    assert response.status_code == 422
    assert text_of(response, "[data-testid=variations-error]") == API_MESSAGE
    assert not Job.objects.exists()


def test_the_review_form_leaves_the_range_check_to_the_server(alice_client, brief):
    # Without novalidate the browser's own check would stop the save of "9" on leaving the field.
    form = select_one(alice_client.get(url("review", brief)), "#review-form")
    assert form.has_attr("novalidate")


# --- Generate with the fields just typed ------------------------------------------------------


def test_generate_saves_the_job_name_it_carries_then_dispatches(alice_client, brief):
    data = review_data(brief, name="Spring campaign")
    response = alice_client.post(url("generate", brief), data, **HX)
    assert response.status_code == 204
    job = Job.objects.get()
    assert response["HX-Redirect"].endswith(job.public_id + "/")
    assert job.name == "Spring campaign"
    assert fresh(brief).last_job == job


# --- two tabs ---------------------------------------------------------------------------------


def test_every_page_carries_the_version_it_shows(alice_client, brief):
    for step in ("configure", "review"):
        summary = select_one(alice_client.get(url(step, brief)), "#wizard-summary")
        assert summary["data-brief-version"] == str(fresh(brief).version)


def test_a_write_from_a_stale_tab_is_refused_and_the_other_tabs_write_kept(
    alice_client, brief, key
):
    seen = fresh(brief).version
    save = url("instruction_save", brief, key)
    first = alice_client.post(save, {"hair.color": "auburn", "brief_version": seen}, **HX)
    assert first.status_code == 200
    assert select_one(first, "#wizard-summary")["data-brief-version"] == str(seen + 1)

    stale = alice_client.post(save, {"hair.color": "black", "brief_version": seen}, **HX)
    assert stale.status_code == 409
    assert stale["HX-Retarget"] == "#wizard-conflict"
    assert text_of(stale, "[data-testid=stale-brief]") == STALE
    assert fresh(brief).instructions[0]["hair"] == {"color": "auburn"}


def test_a_stale_review_save_and_a_stale_generate_are_refused(alice_client, brief):
    seen = fresh(brief).version
    ok = alice_client.post(url("review", brief), review_data(brief, brief_version=seen), **HX)
    assert ok.status_code == 200
    for step in ("review", "generate"):
        data = review_data(brief, name="Old tab", brief_version=seen)
        response = alice_client.post(url(step, brief), data, **HX)
        assert response.status_code == 409
    assert fresh(brief).name == ""
    assert not Job.objects.exists()


def test_a_stale_plain_post_returns_to_the_step_with_the_message(alice_client, brief, key):
    seen = fresh(brief).version
    ws.brief_fields_update(brief=fresh(brief), key=key, values={"hair.color": "auburn"})
    response = alice_client.post(
        url("instruction_add", brief), {"brief_version": seen}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("configure", brief)
    assert STALE in text_of(response, ".messages, [role=alert], body")
    assert len(fresh(brief).instructions) == 1


def test_a_stale_write_to_charlies_view_of_alices_brief_is_still_404(charlie_client, brief, key):
    response = charlie_client.post(
        url("instruction_save", brief, key), {"hair.color": "x", "brief_version": 1}, **HX
    )
    assert response.status_code == 404


# --- friction ---------------------------------------------------------------------------------


def test_expert_mode_says_expert_once_and_the_prompt_editor_is_tall(alice_client, brief, key):
    ws.brief_expert_set(brief=fresh(brief), key=key, expert=True)
    response = alice_client.get(url("configure", brief))
    status = text_of(response, f"#status-{key}")
    assert status.count("Expert") == 1
    editor = select_one(response, f"#prompt-{key}-input")
    assert int(editor["rows"]) >= 8


def test_the_wizards_copy_never_says_seed(alice_client, brief):
    for step in ("configure", "review"):
        page = alice_client.get(url(step, brief)).content.decode().lower()
        assert "seed " not in page and " seed" not in page


def test_the_orbita_size_limit_is_said_once(alice_client, brief, key):
    ws.brief_options_update(
        brief=fresh(brief), instructions={}, model="orbita", name="", add_ai_watermark=False
    )
    response = alice_client.get(url("review", brief))
    why = text_of(response, f"#{key}-size-why")
    assert why.count("orbita supports") == 1
