"""Create images from an identity's page: the form and its live cost, dispatch, refusals beside
their field with nothing lost, the results page that fills in and stops polling, and the
identity's list of generated images. Runs go through the real run service and task (Q sync)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from identities.models import Identity, ImageRun, RunOutput, UploadedAsset
from identities.services.library import catalog_publish
from identities.services.runs import run_quote, run_start
from identities.services.uploads import asset_upload
from tests.html import select, select_one, soup, text_of
from tests.runs_web.helpers import png_bytes, ready_identity

FORM = {
    "prompt": "$model in a red linen shirt, smiling, grey studio backdrop",
    "face_reference_mode": "match_reference",
    "num_images": "2",
    "aspect_ratio": "3:4",
    "resolution": "1k",
    "generation_mode": "automatic",
    "output_format": "png",
    "seed": "42",
    "engine": "auto",
}
HTMX = {"HX-Request": "true"}


def _create_url(identity) -> str:
    return reverse("identities:run_create", args=[identity.code])


def _cost_url(identity) -> str:
    return reverse("identities:run_cost", args=[identity.code])


def _inputs(identity, **changes) -> dict:
    """The API inputs the page sends for FORM (plus `changes`)."""
    numbers = {"num_images": int(FORM["num_images"]), "seed": int(FORM["seed"])}
    return {**FORM, **numbers, **changes, "identity_code": identity.code}


@pytest.fixture
def finished_run(alice, maren, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(
            account=alice.membership.account, user=alice, inputs=_inputs(maren), source="web"
        )
    run.refresh_from_db()
    assert run.status == ImageRun.COMPLETED, run.error_message
    return run


# --- the form ---------------------------------------------------------------------------------


def test_the_create_page_offers_every_option_with_its_cost(alice_client, alice, maren):
    response = alice_client.get(_create_url(maren))
    assert response.status_code == 200
    assert select_one(response, "h1").get_text(strip=True) == "Create images"
    chip = select_one(response, "[data-testid=insert-model]")
    assert chip["data-insert-token"] == "$model" and chip["data-target"] == "#id_prompt"
    ratios = [o["value"] for o in select(response, "select[name=aspect_ratio] option")]
    assert sorted(ratios) == sorted(
        ["21:9", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "1:1"]
    )
    radios = {
        name: [i["value"] for i in select(response, f"input[name={name}]")]
        for name in ("resolution", "generation_mode", "face_reference_mode", "output_format")
    }
    assert radios == {
        "resolution": ["1k", "2k", "4k"],
        "generation_mode": ["automatic", "fast", "balanced", "quality"],
        "face_reference_mode": ["match_reference", "match_base"],
        "output_format": ["png", "jpeg"],
    }
    assert select_one(response, "input[name=seed]")["value"] == "42"
    assert select_one(response, "input[name=num_images]")["max"] == "4"
    assert select_one(response, "select[name=engine] option")["value"] == "auto"
    # The defaults' price: one 1k image, automatic (= fast), face locked.
    expected = run_quote(inputs=_inputs(maren, num_images=1), account=alice.membership.account)
    assert text_of(response, "[data-testid=run-cost-total]") == f"{expected} credits"
    assert select_one(response, "#run-cost")["hx-post"] == _cost_url(maren)


def test_a_stranger_gets_404_on_every_run_page(charlie_client, maren, finished_run):
    assert charlie_client.get(_create_url(maren)).status_code == 404
    assert charlie_client.post(_create_url(maren), FORM).status_code == 404
    assert charlie_client.post(_cost_url(maren), FORM, headers=HTMX).status_code == 404
    detail = reverse("identities:run_detail", args=[finished_run.public_id])
    assert charlie_client.get(detail).status_code == 404
    assert ImageRun.objects.count() == 1


def test_submitting_starts_a_run_and_opens_its_results(
    alice_client, alice, maren, django_capture_on_commit_callbacks
):
    account = alice.membership.account
    before = account.credit_balance
    expected = run_quote(inputs=_inputs(maren), account=account)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(_create_url(maren), FORM)
    run = ImageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("identities:run_detail", args=[run.public_id])
    assert (run.identity, run.source, run.num_images, run.seed) == (maren, "web", 2, 42)
    assert run.prompt == FORM["prompt"] and run.credits == expected
    account.refresh_from_db()
    assert account.credit_balance == before - expected

    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    results = select_one(page, "#run-results")
    assert results["data-status"] == "completed"
    assert not results.has_attr("hx-trigger")  # finished: no more polling
    assert text_of(page, "[data-testid=run-count]") == "2 of 2 images"
    outputs = RunOutput.objects.filter(run=run).order_by("index")
    shown = select(page, "[data-testid=run-output]")
    assert len(shown) == 2
    for node, output in zip(shown, outputs, strict=True):
        img = node.select_one("[data-testid=run-image]")
        assert (img["width"], img["height"]) == (str(output.width), str(output.height))
        similarity = node.select_one("[data-testid=face-similarity]")
        assert float(similarity["data-similarity"]) == pytest.approx(output.face_similarity, 1e-3)
        assert node.select_one("[data-testid=run-download]")["href"].endswith("download=1")


def test_a_prompt_without_model_is_refused_beside_the_prompt_with_nothing_lost(alice_client, maren):
    data = {**FORM, "prompt": "a woman in a red linen shirt", "seed": "777", "num_images": "3"}
    response = alice_client.post(_create_url(maren), data)
    assert response.status_code == 422
    field = select_one(response, ".field.has-error")
    assert field.select_one("textarea")["name"] == "prompt"
    assert "Write $model where the identity should appear" in text_of(
        response, "[data-testid=prompt-error]"
    )
    assert select_one(response, "textarea[name=prompt]").get_text() == data["prompt"]
    assert select_one(response, "input[name=seed]")["value"] == "777"
    assert select_one(response, "input[name=num_images]")["value"] == "3"
    assert ImageRun.objects.count() == 0


def test_an_uploaded_product_is_kept_when_the_form_comes_back(alice_client, alice, maren):
    upload = SimpleUploadedFile("shirt.png", png_bytes(), content_type="image/png")
    data = {**FORM, "prompt": "$model on a beach", "products": [upload]}
    response = alice_client.post(_create_url(maren), data)
    assert response.status_code == 422
    assert "write $product where they go" in text_of(response, "[data-testid=prompt-error]")
    asset = UploadedAsset.objects.get(account=alice.membership.account)
    kept = select_one(response, "[data-testid=kept-products] input[name=product_ids]")
    assert kept["value"] == str(asset.file_id) and kept.has_attr("checked")
    assert select_one(response, "[data-testid=kept-products] img")["src"].startswith(
        "http://testserver/m/"
    )
    assert ImageRun.objects.count() == 0


def test_a_refusal_of_the_run_service_shows_beside_its_field(alice_client, alice, maren):
    """The offline engines take no product images: the kept upload comes back with the reason
    next to the product field, never a silently product-less run."""
    asset = asset_upload(
        account=alice.membership.account, user=alice, filename="shirt.png", data=png_bytes()
    )
    data = {**FORM, "prompt": "$model wearing $product", "product_ids": [str(asset.file_id)]}
    response = alice_client.post(_create_url(maren), data)
    assert response.status_code == 422
    products = select_one(response, "input[name=product_ids]").find_parent(class_="field")
    assert "has-error" in products["class"]
    assert products.select_one(".error").get_text(strip=True)
    assert select_one(response, "input[name=product_ids]")["value"] == str(asset.file_id)
    assert ImageRun.objects.count() == 0


# --- the live cost ----------------------------------------------------------------------------


def test_the_cost_partial_follows_the_form(alice_client, alice, maren):
    account = alice.membership.account
    response = alice_client.post(_cost_url(maren), {**FORM, "num_images": "4"}, headers=HTMX)
    assert response.status_code == 200
    assert select_one(response, "html") is None and select_one(response, "h1") is None
    expected = run_quote(inputs=_inputs(maren, num_images=4), account=account)
    assert select_one(response, "#run-cost") is None  # the inside of #run-cost only
    assert text_of(response, "[data-testid=run-cost-total]") == f"{expected} credits"
    assert "4 images" in text_of(response, "[data-testid=run-cost-detail]")
    # An unfinished prompt still gets its price: the words do not change it.
    unfinished = alice_client.post(_cost_url(maren), {**FORM, "prompt": ""}, headers=HTMX)
    assert text_of(unfinished, "[data-testid=run-cost-total]") == (
        f"{run_quote(inputs=_inputs(maren), account=account)} credits"
    )


def test_the_cost_names_a_bad_field_instead_of_a_price(alice_client, maren):
    response = alice_client.post(_cost_url(maren), {**FORM, "num_images": "9"}, headers=HTMX)
    assert response.status_code == 200
    assert text_of(response, "[data-testid=run-cost-error]").startswith("Number of images:")
    assert select_one(response, "[data-testid=run-cost-total]") is None


def test_without_javascript_update_cost_returns_the_whole_page(alice_client, alice, maren):
    response = alice_client.post(_cost_url(maren), {**FORM, "num_images": "3"})
    assert response.status_code == 200
    assert select_one(response, "h1").get_text(strip=True) == "Create images"
    expected = run_quote(inputs=_inputs(maren, num_images=3), account=alice.membership.account)
    assert text_of(response, "[data-testid=run-cost-total]") == f"{expected} credits"
    assert select_one(response, "input[name=num_images]")["value"] == "3"
    assert ImageRun.objects.count() == 0


# --- results ----------------------------------------------------------------------------------


def test_a_queued_run_polls_and_the_partial_is_the_same_section(
    alice_client, alice, maren, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        run = run_start(account=alice.membership.account, user=alice, inputs=_inputs(maren))
    url = reverse("identities:run_detail", args=[run.public_id])
    page = alice_client.get(url)
    assert page.status_code == 200
    results = select_one(page, "#run-results")
    assert results["hx-get"] == url and results["hx-trigger"] == "every 2s"
    assert results.has_attr("data-poll-when-visible")
    assert text_of(page, "[data-testid=run-status]") == "Queued"
    assert len(select(page, "[data-testid=run-waiting]")) == 2
    partial = alice_client.get(url, headers=HTMX)
    assert select_one(partial, "h1") is None
    assert [n.name for n in soup(partial).find_all(recursive=False)] == ["section"]
    assert select_one(partial, "#run-results")["hx-trigger"] == "every 2s"


def test_a_drifted_face_is_marked_below_the_threshold(alice_client, finished_run):
    RunOutput.objects.filter(run=finished_run, index=1).update(
        face_similarity=0.41, face_drift=True
    )
    page = alice_client.get(reverse("identities:run_detail", args=[finished_run.public_id]))
    first, second = select(page, "[data-testid=run-output]")
    assert first.select_one("[data-testid=face-drift]") is None
    assert first.select_one("[data-testid=face-same]") is not None
    assert second.select_one("[data-testid=face-drift]").get_text(strip=True) == "Face drift"
    assert "0.41" in second.select_one("[data-testid=face-similarity]").get_text()
    assert "is-drift" in second["class"]


def test_the_download_link_saves_the_full_image(alice_client, finished_run):
    page = alice_client.get(reverse("identities:run_detail", args=[finished_run.public_id]))
    link = select_one(page, "[data-testid=run-download]")
    response = alice_client.get(link["href"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content)
    output = RunOutput.objects.get(run=finished_run, index=0)
    assert body == output.image.open("rb").read() and body.startswith(b"\x89PNG")


# --- the identity page ------------------------------------------------------------------------


def test_the_identity_page_offers_create_images_and_lists_what_was_made(
    alice_client, maren, finished_run
):
    response = alice_client.get(reverse("identities:identity_detail", args=[maren.code]))
    assert response.status_code == 200
    assert select_one(response, "[data-testid=create-images]")["href"] == _create_url(maren)
    images = select(response, "[data-testid=generated-image]")
    assert len(images) == 2
    assert images[0].select_one("a")["href"] == reverse(
        "identities:run_detail", args=[finished_run.public_id]
    )


def test_an_identity_without_runs_says_none_yet(alice_client, maren):
    response = alice_client.get(reverse("identities:identity_detail", args=[maren.code]))
    assert select_one(response, "[data-testid=generated-empty]") is not None
    assert select(response, "[data-testid=generated-image]") == []


def test_the_identity_page_query_count_does_not_grow_with_its_runs(
    alice_client, alice, maren, finished_run, django_capture_on_commit_callbacks
):
    url = reverse("identities:identity_detail", args=[maren.code])
    alice_client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one_run:
        alice_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for seed in (1, 2):
            run_start(
                account=alice.membership.account, user=alice, inputs=_inputs(maren, seed=seed)
            )
    with CaptureQueriesContext(connection) as three_runs:
        response = alice_client.get(url)
    assert len(select(response, "[data-testid=generated-image]")) == 6
    assert len(three_runs) == len(one_run)


def test_an_identity_still_being_prepared_is_refused_with_why(alice_client, maren):
    Identity.objects.filter(pk=maren.pk).update(preprocessing_status=Identity.PROCESSING)
    page = alice_client.get(_create_url(maren))
    assert select_one(page, "[data-testid=run-not-ready]") is not None
    response = alice_client.post(_create_url(maren), FORM)
    assert response.status_code == 422
    assert "still being prepared" in text_of(response, ".form-errors")
    assert ImageRun.objects.count() == 0


def test_a_catalog_identity_lists_only_this_accounts_images(
    alice_client,
    charlie_client,
    alice,
    charlie,
    maren,
    finished_run,
    django_capture_on_commit_callbacks,
):
    catalog_publish(identity=Identity.objects.get(pk=maren.pk), tier="free")
    with django_capture_on_commit_callbacks(execute=True):
        response = charlie_client.post(_create_url(maren), {**FORM, "num_images": "1"})
    assert response.status_code == 302
    mine = ImageRun.objects.get(account=charlie.membership.account)
    page = charlie_client.get(reverse("identities:identity_detail", args=[maren.code]))
    links = {a["href"] for a in select(page, "[data-testid=generated-image] a")}
    assert links == {reverse("identities:run_detail", args=[mine.public_id])}
    alice_page = alice_client.get(reverse("identities:identity_detail", args=[maren.code]))
    assert len(select(alice_page, "[data-testid=generated-image]")) == 2


def test_create_more_like_these_fills_the_form_from_the_run(alice_client, maren, finished_run):
    detail = alice_client.get(reverse("identities:run_detail", args=[finished_run.public_id]))
    again = select_one(detail, "[data-testid=run-again]")["href"]
    assert again == f"{_create_url(maren)}?again={finished_run.public_id}"
    page = alice_client.get(again)
    assert page.status_code == 200
    assert select_one(page, "textarea[name=prompt]").get_text() == FORM["prompt"]
    assert select_one(page, "input[name=num_images]")["value"] == "2"
    assert select_one(page, "input[name=seed]")["value"] == "42"
    assert select_one(page, "input[name=generation_mode][checked]")["value"] == "automatic"
    assert select_one(page, "[data-testid=run-again-note]") is not None
    assert text_of(page, "[data-testid=run-cost-total]") == f"{finished_run.credits} credits"


def test_create_more_refuses_a_run_of_another_identity(
    alice_client, alice, maren, finished_run, django_capture_on_commit_callbacks
):
    other = ready_identity(alice, "Other", django_capture_on_commit_callbacks)
    url = f"{_create_url(other)}?again={finished_run.public_id}"
    assert alice_client.get(url).status_code == 404
