import pytest
from django.urls import reverse

from identities.models import Identity
from identities.services.library import catalog_publish
from identities.services.promotion import identity_promote
from tests.html import select, select_one, text_of
from tests.pipeline import run_job


@pytest.fixture
def library(alice, django_capture_on_commit_callbacks):
    """Alice's two identities (Astrid, Bea) and one pro-tier catalog identity (Cato)."""
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=3)
    drafts = list(job.drafts.order_by("variation"))
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for draft, name in zip(drafts, ("Astrid", "Bea", "Cato"), strict=True):
            made[name] = identity_promote(draft=draft, user=alice, name=name)[0]
    catalog_publish(identity=Identity.objects.get(pk=made["Cato"].pk), tier="pro")
    return made


def _names(response):
    return [
        node.get_text(strip=True)
        for node in select(response, "[data-testid=identity-grid] .identity-name")
    ]


def test_library_shows_my_identities_and_the_catalog(alice_client, library):
    response = alice_client.get(reverse("identities:library"))
    assert response.status_code == 200
    assert sorted(_names(response)) == ["Astrid", "Bea", "Cato"]
    assert text_of(response, "[data-testid=slots]").startswith("2 of 50")
    assert select_one(response, "[data-testid=library-empty]") is None
    card = select_one(response, f"[data-code='{library['Astrid'].code}']")
    assert card.select_one("img")["src"].startswith("http://testserver/m/")
    assert card.select_one(".badge-mine") is not None


def test_filters_return_the_results_fragment_for_htmx(alice_client, library):
    response = alice_client.get(
        reverse("identities:library") + "?ownership=mine&q=ast", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert select_one(response, "h1") is None
    assert select_one(response, "section#library-results") is not None
    assert _names(response) == ["Astrid"]


def test_a_filter_that_matches_nothing_says_so(alice_client, library):
    response = alice_client.get(reverse("identities:library") + "?q=nobody")
    assert _names(response) == []
    assert select_one(response, "[data-testid=library-no-match]") is not None


def test_a_catalog_identity_above_the_plan_is_shown_locked(charlie_client, library):
    response = charlie_client.get(reverse("identities:library"))
    assert _names(response) == ["Cato"]  # Alice's private identities never show
    assert select_one(response, f"[data-code='{library['Cato'].code}'].is-locked") is not None
    assert select_one(response, "[data-testid=library-empty]") is not None


def test_invalid_age_range_is_explained(alice_client, library):
    response = alice_client.get(reverse("identities:library") + "?min_age=40&max_age=20")
    assert "Age to" in text_of(response, "#library-results .error")


def test_library_query_count_does_not_grow_with_the_library(
    alice_client, library, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        alice_client.get(reverse("identities:library"))


def test_identity_detail_shows_portrait_brief_and_provenance(alice_client, library):
    identity = library["Astrid"]
    response = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    assert response.status_code == 200
    assert select_one(response, "#identity-name-input")["value"] == "Astrid"
    assert "ash blonde" in text_of(response, "[data-testid=brief]")
    provenance = text_of(response, "[data-testid=provenance]")
    assert identity.code in provenance and "local" in provenance
    assert "Ready" in text_of(response, "[data-testid=identity-status]")
    assert select_one(response, "form [data-testid=use-as-preset]") is not None


def test_identity_status_partial_for_polling(alice_client, library):
    response = alice_client.get(
        reverse("identities:identity_detail", args=[library["Astrid"].code]),
        headers={"HX-Request": "true"},
    )
    assert select_one(response, "h1") is None
    status = select_one(response, "[data-testid=identity-status]")
    assert status.get("hx-trigger") is None  # completed: no more polling


def test_stranger_gets_404_on_a_private_identity(charlie_client, library):
    code = library["Astrid"].code
    assert charlie_client.get(reverse("identities:identity_detail", args=[code])).status_code == 404
    assert (
        charlie_client.post(reverse("identities:identity_delete", args=[code])).status_code == 404
    )
    assert (
        charlie_client.post(
            reverse("identities:identity_rename", args=[code]), {"name": "x"}
        ).status_code
        == 404
    )
    assert Identity.objects.get(code=code).deleted_at is None


def test_rename_full_page_and_partial(alice_client, library):
    code = library["Astrid"].code
    response = alice_client.post(
        reverse("identities:identity_rename", args=[code]), {"name": "Astrid Nord"}
    )
    assert response.status_code == 302
    assert Identity.objects.get(code=code).name == "Astrid Nord"
    partial = alice_client.post(
        reverse("identities:identity_rename", args=[code]),
        {"name": "Bea"},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 422
    assert text_of(partial, "#identity-name .error") == "Name already used in your library."
    assert Identity.objects.get(code=code).name == "Astrid Nord"


def test_delete_frees_the_slot(alice_client, library):
    code = library["Bea"].code
    response = alice_client.post(reverse("identities:identity_delete", args=[code]))
    assert response.status_code == 302
    assert Identity.objects.get(code=code).deleted_at is not None
    page = alice_client.get(reverse("identities:library"))
    assert text_of(page, "[data-testid=slots]").startswith("1 of 50")
    assert "Bea" not in _names(page)


def test_use_as_preset_opens_the_wizard_with_the_brief(alice_client, alice, library):
    from identities.models import Brief

    response = alice_client.post(
        reverse("identities:identity_use_brief", args=[library["Astrid"].code])
    )
    assert response.status_code == 302
    draft = Brief.objects.get(user=alice)
    assert response["Location"].startswith(
        reverse("identities:wizard_configure", args=[draft.public_id])
    )
    (instruction,) = draft.instructions
    assert instruction["hair"]["color"] == "ash blonde"
    assert instruction["appearance"]["gender"] == "female"
    page = alice_client.get(response["Location"])
    assert select_one(page, "input[value='ash blonde']") is not None


def test_use_as_preset_on_someone_elses_identity_is_404(charlie_client, library):
    response = charlie_client.post(
        reverse("identities:identity_use_brief", args=[library["Astrid"].code])
    )
    assert response.status_code == 404


def _section_names(response, key):
    return [
        node.get_text(strip=True)
        for node in select(response, f"[data-testid=section-{key}] .identity-name")
    ]


def test_library_shows_your_identities_apart_from_the_catalog(alice_client, library):
    response = alice_client.get(reverse("identities:library"))
    assert text_of(response, "[data-testid=section-mine] h2") == "Your identities"
    assert sorted(_section_names(response, "mine")) == ["Astrid", "Bea"]
    assert _section_names(response, "catalog") == ["Cato"]  # Alice's pro plan unlocks it
    assert select_one(response, "[data-testid=section-locked]") is None


def test_a_free_account_sees_usable_catalog_before_locked_tiers(
    charlie_client, alice, library, django_capture_on_commit_callbacks
):
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    with django_capture_on_commit_callbacks(execute=True):
        dana = identity_promote(draft=job.drafts.get(), user=alice, name="Dana")[0]
    catalog_publish(identity=Identity.objects.get(pk=dana.pk), tier="free")

    response = charlie_client.get(reverse("identities:library"))
    sections = [node["data-testid"] for node in select(response, ".library-section")]
    assert sections == ["section-mine", "section-catalog", "section-locked"]
    assert _section_names(response, "catalog") == ["Dana"]
    assert _section_names(response, "locked") == ["Cato"]
    assert select_one(response, "[data-testid=section-locked] .is-locked .lock-badge") is not None
    assert "Above your" in text_of(response, "[data-testid=section-locked]")
    # Charlie has made nobody: one empty state, in "Your identities", and no "no match".
    assert select_one(response, "[data-testid=section-mine] [data-testid=library-empty]")
    assert select_one(response, "[data-testid=library-no-match]") is None


def test_only_one_empty_state_when_filters_match_nothing(charlie_client, library):
    response = charlie_client.get(reverse("identities:library") + "?q=nobody")
    assert select_one(response, "[data-testid=library-no-match]") is not None
    assert select_one(response, "[data-testid=library-empty]") is None


def test_invalid_age_range_keeps_the_search_and_other_filters(alice_client, library):
    response = alice_client.get(
        reverse("identities:library") + "?q=ast&ownership=mine&min_age=40&max_age=20"
    )
    assert response.status_code == 200
    assert "“Age to” must be at least “Age from”" in text_of(response, "[data-testid=filter-error]")
    assert _names(response) == ["Astrid"]  # the search still applies, the bad range does not
    assert select_one(response, "#filter_q")["value"] == "ast"
    assert select_one(response, "#filter_ownership option[selected]")["value"] == "mine"
    assert select_one(response, "#filter_min_age")["value"] == "40"
    assert select_one(response, "[data-testid=library-no-match]") is None


def test_htmx_delete_redirects_the_browser_to_the_library_with_a_message(alice_client, library):
    code = library["Bea"].code
    response = alice_client.post(
        reverse("identities:identity_delete", args=[code]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("identities:library")
    assert Identity.objects.get(code=code).deleted_at is not None
    page = alice_client.get(reverse("identities:library"))
    assert text_of(page, ".messages") == "Deleted “Bea”. Its slot is free again."
    assert "Bea" not in _names(page)


def test_detail_page_has_the_name_as_h1_and_a_rename_button(alice_client, library):
    response = alice_client.get(reverse("identities:identity_detail", args=[library["Bea"].code]))
    assert text_of(response, "h1") == "Bea"
    toggle = select_one(response, "[data-testid=rename-toggle]")
    assert toggle.get_text(" ", strip=True).endswith("Rename")
    assert toggle["aria-controls"] == "rename-form" and toggle["aria-expanded"] == "false"
    assert select_one(response, "#rename-form").has_attr("hidden")


def test_a_refused_rename_keeps_the_field_open_with_its_error(alice_client, library):
    response = alice_client.post(
        reverse("identities:identity_rename", args=[library["Astrid"].code]),
        {"name": "Bea"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert not select_one(response, "#rename-form").has_attr("hidden")
    assert text_of(response, "h1") == "Astrid"


def test_a_catalog_identity_shows_its_name_without_rename(charlie_client, library):
    response = charlie_client.get(
        reverse("identities:identity_detail", args=[library["Cato"].code])
    )
    assert text_of(response, "h1") == "Cato"
    assert select_one(response, "[data-testid=rename-toggle]") is None


def test_detail_brief_is_in_wizard_order(alice_client, library):
    from identities.briefs.vocabulary import GROUPS, fields_of

    identity = library["Astrid"]
    response = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    groups = [node.get_text(strip=True) for node in select(response, ".brief-group")]
    assert groups == [g.capitalize() for g in GROUPS if identity.brief.get(g)]
    shown = [
        [dt.get_text(strip=True) for dt in dl.select("dt")]
        for dl in select(response, "[data-testid=brief] dl")
    ]
    expected = [
        [f.label for f in fields_of(g) if f.name in identity.brief[g]]
        for g in GROUPS
        if identity.brief.get(g)
    ]
    assert shown == expected
    assert shown[0][0] == "Gender"
