"""The real-person guard: the seeded list, the matcher, admin edits and the validator's error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from config.api.refusals import refusal_api_error
from identities.briefs.blocklist import compile_terms, current_matcher
from identities.briefs.request import BriefError
from identities.briefs.terms import fold, skeletons, term_problem
from identities.briefs.validation import validate_creation_request
from identities.briefs.vocabulary import FIELDS
from identities.models import BlockedTerm
from tests.identities.data.public_figures import PUBLIC_FIGURES, public_figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_external_engines(settings):
    settings.CASTLESS_GEMINI_API_KEY = ""
    settings.CASTLESS_SEEDREAM_API_KEY = ""
    settings.CASTLESS_MODELCREATE_API_KEY = ""


def find_blocked_term(text: str) -> str | None:
    """What the validator asks: the blocked term `text` names, as stored, or None."""
    return current_matcher().find(text)


# The seeded list


def test_at_least_300_public_figures_are_seeded_across_every_category():
    assert BlockedTerm.objects.count() >= 300
    counts = {
        category: BlockedTerm.objects.filter(category=category).count()
        for category in ("model", "actor", "musician", "athlete", "politician", "royal")
    }
    assert all(count >= 25 for count in counts.values()), counts


def test_every_public_figure_in_the_test_list_is_seeded():
    # The migrations seed the table; adding a name to the test list without a data migration
    # that seeds it fails here.
    stored = set(BlockedTerm.objects.values_list("normalized", flat=True))

    missing = [term for term, _ in public_figures() if fold(term) not in stored]

    assert missing == []


@pytest.mark.parametrize(
    "name",
    ["Zendaya", "Kate Moss", "Gigi Hadid", "Naomi Campbell", "Taylor Swift", "Barack Obama"],
)
def test_the_briefs_examples_are_seeded(name):
    assert BlockedTerm.objects.filter(normalized=fold(name)).exists()


def test_mononyms_that_are_ordinary_words_are_not_seeded():
    stored = set(BlockedTerm.objects.values_list("normalized", flat=True))

    assert {"prince", "drake", "pink", "sting", "seal", "usher", "twiggy"}.isdisjoint(stored)
    assert "prince rogers nelson" in stored


def test_the_test_list_has_no_duplicates():
    folded = [fold(term) for terms in PUBLIC_FIGURES.values() for term in terms]

    assert len(folded) == len(set(folded))


# Matching


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("looks like zendaya", "Zendaya"),
        ("LOOKS LIKE ZENDAYA", "Zendaya"),
        ("Zendaya's cheekbones", "Zendaya"),
        ("Zendaya’s cheekbones", "Zendaya"),
        ("Zendayas smile", "Zendaya"),
        ("a Zendaya-like jaw", "Zendaya"),
        ("like Beyonce on stage", "Beyoncé"),
        ("BEYONCÉ", "Beyoncé"),
        ("kate   moss", "Kate Moss"),
        ("Kate-Moss vibe", "Kate Moss"),
        ("#katemoss", "Kate Moss"),
        ("J.Lo glow", "J.Lo"),
        ("J Lo glow", "J.Lo"),
        ("JLo glow", "J.Lo"),
        ("Shaquille O’Neal height", "Shaquille O'Neal"),
        ("Samuel L Jackson", "Samuel L. Jackson"),
        ("Gisele Bundchen cheekbones", "Gisele Bündchen"),
        ("Zlatan Ibrahimovic", "Zlatan Ibrahimović"),
        ("Zen\u200bdaya", "Zendaya"),
        ("Cher", "Cher"),
        ("like Cher.", "Cher"),
    ],
)
def test_names_match_whatever_the_case_accents_punctuation_or_possessive(text, term):
    assert find_blocked_term(text) == term


@pytest.mark.parametrize(
    "text",
    [
        "cherry red lips",
        "a teacher's calm look",
        "cherished smile",
        "pink lips and a princely jaw",
        "a seal-grey sweater, drake green eyes",
        "ash blonde, pale blue eyes, light freckles",
        "Kate, a tall woman with moss green eyes",
        "",
    ],
)
def test_names_never_match_inside_other_words_or_ordinary_text(text):
    assert find_blocked_term(text) is None


@pytest.mark.parametrize(
    ("text", "term"),
    [
        # Look-alike letters from other scripts (Cyrillic а, Greek Ο, Cyrillic capitals,
        # mathematical bold, full-width, small capitals).
        ("T\u0430ylor Swift", "Taylor Swift"),
        ("like Michelle \u039fbama", "Michelle Obama"),
        ("B\u0430r\u0430ck \u039fb\u0430m\u0430 smile", "Barack Obama"),
        ("\u0422\u0410YLOR \u0405WIFT", "Taylor Swift"),
        ("\U0001d413\U0001d41a\U0001d432\U0001d425\U0001d428\U0001d42b Swift", "Taylor Swift"),
        ("\uff34\uff41\uff59\uff4c\uff4f\uff52 Swift", "Taylor Swift"),
        ("\u1d1b\u1d00\u028f\u029f\u1d0f\u0280 swift", "Taylor Swift"),
        ("Zend\u0430y\u0430", "Zendaya"),
        # Letter-spacing.
        ("T a y l o r  S w i f t", "Taylor Swift"),
        ("T.a.y.l.o.r S.w.i.f.t", "Taylor Swift"),
        ("T.a.y.l.o.r Swift", "Taylor Swift"),
        ("Z-e-n-d-a-y-a's jaw", "Zendaya"),
        # Surname first, as a list writes it.
        ("Swift, Taylor", "Taylor Swift"),
        ("looks like Moss, Kate", "Kate Moss"),
        ("Jackson, Samuel L.", "Samuel L. Jackson"),
        ("S w i f t, T a y l o r", "Taylor Swift"),
        # Leetspeak, "1" read as "i" or "l".
        ("T4yl0r Sw1ft", "Taylor Swift"),
        ("G1g1 H4d1d vibe", "Gigi Hadid"),
        ("R1hanna bob", "Rihanna"),
        ("4d3l3 hair", "Adele"),
        ("K4t3 M0ss", "Kate Moss"),
        ("Bi11ie Ei1ish", "Billie Eilish"),
        ("T@ylor $wift", "Taylor Swift"),
        # All at once.
        ("S w 1 f t, T \u0430 y l 0 r", "Taylor Swift"),
    ],
)
def test_disguised_names_match_and_report_the_term_as_stored(text, term):
    assert find_blocked_term(text) == term


ORDINARY_BRIEFS = [
    "A 4K portrait in a 16:9 frame of a 25-year-old woman",
    "size 16 dress, a braided bun, class of 2016 reunion look",
    "a 3/4 view at f/1.8 on an 85mm lens, ISO 100, 1/250 s",
    "a tall man in his 30s with a B2B sales vibe, A4 notebook",
    "red lips, a 1990s look, 2nd row, 3rd place, 35mm film grain",
    "a 2K render, then 4K, 8K later; 24fps, 4:5 crop, 1080p",
    "mid-30s, olive skin, a long bob, a silver nose ring",
    "a woman, 28, with a wide smile, standing by a canteen",
    "soft window light, a b c test chart on the wall",
    "plan A, B or C: a calm, focused expression",
    "a swift, confident stride; taylored jacket",
    "obama-era office chic, grey suit",
    "Kate, a tall woman with moss green eyes",
    "cherry red lips, a teacher's calm look, cherished smile",
    "pink lips and a princely jaw, a seal-grey sweater",
    "hair in a bun, freckles, a gap tooth, size 10 shoes, 5'8\"",
    "a model, 6 ft 1, 75 kg, 20% more contrast",
    "Rembrandt lighting, a Vermeer palette, Renaissance hands",
    "a 007-style tuxedo, R2 rating, H2O droplets, CO2 bubbles",
    "x y z",
]


@pytest.mark.parametrize("text", ORDINARY_BRIEFS)
def test_ordinary_briefs_are_never_blocked(text):
    assert find_blocked_term(text) is None


def test_no_vocabulary_chip_is_blocked():
    chips = [chip.value for field in FIELDS for chip in field.chips]

    assert len(chips) >= 185
    assert [chip for chip in chips if find_blocked_term(chip)] == []


@pytest.mark.parametrize(("text", "skeleton"), [("4K", "4k"), ("25", "25"), ("16:9", "16 9")])
def test_digits_stay_digits_outside_words_that_mix_them_with_letters(text, skeleton):
    assert skeletons(text) == (skeleton,)


def test_one_reads_as_i_and_as_l_in_a_mixed_word():
    assert skeletons("B1ll") == ("bill", "blll")
    assert skeletons("Sw1ft 21") == ("swift 21", "swlft 21")


def test_an_ordinary_word_spelled_with_look_alikes_cannot_be_blocked():
    # The Cyrillic "Р" would otherwise make the matcher refuse every "prince".
    assert term_problem("\u0420rince") is not None


def test_a_term_stored_with_look_alike_letters_matches_plain_text_too():
    BlockedTerm.objects.create(term="\u0410da Quinnell", category=BlockedTerm.Category.OTHER)

    assert find_blocked_term("inspired by Ada Quinnell") == "\u0410da Quinnell"


def test_a_renamed_term_is_matched_in_its_disguises_on_the_next_check():
    current_matcher()
    term = BlockedTerm.objects.get(normalized="kate moss")
    term.term = "Katherine Moss"
    term.save()

    assert find_blocked_term("K4ther1ne M0ss") == "Katherine Moss"
    assert find_blocked_term("Moss, K\u0430therine") == "Katherine Moss"
    assert find_blocked_term("K4te M0ss") is None


def test_the_longest_overlapping_name_is_reported():
    matcher = compile_terms(["Kim", "Kim Kardashian"])

    assert matcher.find("Kim Kardashian's nose") == "Kim Kardashian"
    assert matcher.find("Kim's nose") == "Kim"


def test_an_empty_list_matches_nothing():
    assert compile_terms([]).find("Zendaya") is None


def test_the_compiled_matcher_is_reused_until_the_table_changes(django_assert_num_queries):
    first = current_matcher()

    with django_assert_num_queries(1):
        assert current_matcher() is first


# Admin edits take effect at once


def test_a_term_added_by_an_admin_is_blocked_on_the_next_check():
    assert find_blocked_term("inspired by Ada Quinnell") is None

    BlockedTerm.objects.create(term="Ada Quinnell", category=BlockedTerm.Category.OTHER)

    assert find_blocked_term("inspired by Ada Quinnell") == "Ada Quinnell"


def test_a_deleted_term_is_allowed_again():
    BlockedTerm.objects.get(normalized="zendaya").delete()

    assert find_blocked_term("Zendaya") is None


def test_a_renamed_term_matches_its_new_spelling():
    term = BlockedTerm.objects.get(normalized="kate moss")
    term.term = "Katherine Moss"
    term.save()

    assert find_blocked_term("Katherine Moss") == "Katherine Moss"
    assert find_blocked_term("Kate Moss") is None


def test_a_bulk_insert_is_seen_through_the_fingerprint():
    current_matcher()
    BlockedTerm.objects.bulk_create([BlockedTerm(term="Ada Quinnell", normalized="ada quinnell")])

    assert find_blocked_term("Ada Quinnell") == "Ada Quinnell"


def test_a_term_swapped_for_another_is_seen_though_the_count_stays():
    current_matcher()
    BlockedTerm.objects.get(normalized="zendaya").delete()
    BlockedTerm.objects.create(term="Ada Quinnell", category=BlockedTerm.Category.OTHER)

    assert find_blocked_term("Zendaya") is None
    assert find_blocked_term("Ada Quinnell") == "Ada Quinnell"


def test_a_change_made_in_another_process_is_seen_without_clearing_anything():
    # Another process's save reaches this one only through the table: no signal fires here.
    first = current_matcher()
    BlockedTerm.objects.filter(normalized="kate moss").update(
        term="Katherine Moss", normalized="katherine moss", updated_at=timezone.now()
    )

    assert current_matcher() is not first
    assert find_blocked_term("Katherine Moss") == "Katherine Moss"


def test_terms_are_unique_whatever_the_case_or_accents():
    duplicate = BlockedTerm(term="BEYONCE", category=BlockedTerm.Category.MUSICIAN)

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert caught.value.message_dict == {"term": ['Already blocked as "Beyoncé".']}


@pytest.mark.parametrize("term", ["Prince", "blonde", "Red", "Jo"])
def test_ordinary_words_and_tiny_terms_cannot_be_blocked_alone(term):
    with pytest.raises(ValidationError) as caught:
        BlockedTerm(term=term).full_clean()

    assert "term" in caught.value.message_dict


def test_the_admin_lists_searches_filters_and_adds_terms(admin_client):
    changelist = reverse("admin:identities_blockedterm_changelist")

    assert admin_client.get(changelist, {"q": "hadid"}).status_code == 200
    assert admin_client.get(changelist, {"category__exact": "royal"}).status_code == 200
    response = admin_client.post(
        reverse("admin:identities_blockedterm_add"),
        {"term": "  Ada   Quinnell ", "category": "model", "note": "Agency request"},
    )

    assert response.status_code == 302
    assert BlockedTerm.objects.get(normalized="ada quinnell").term == "Ada Quinnell"
    assert find_blocked_term("ada quinnell’s jaw") == "Ada Quinnell"


def test_the_admin_refuses_a_duplicate_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:identities_blockedterm_add"), {"term": "kate MOSS", "category": "model"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["term"] == ['Already blocked as "Kate Moss".']


# The validator's error


def test_a_real_name_in_the_prompt_is_refused_with_the_blocked_term():
    with pytest.raises(BriefError) as caught:
        validate_creation_request(
            {"instructions": [{"prompt": "A woman who looks like Gigi Hadid"}]}
        )

    assert caught.value.blocked_term == "Gigi Hadid"
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("instructions[0].prompt", 'Names of real people are not allowed: "Gigi Hadid"')
    ]
    assert refusal_api_error(caught.value).body() == {
        "error": "Names of real people are not allowed",
        "detail": [
            {
                "field": "instructions[0].prompt",
                "message": 'Names of real people are not allowed: "Gigi Hadid"',
                "position": "body",
            }
        ],
        "blocked_term": "Gigi Hadid",
    }


def test_every_structured_field_and_the_job_name_are_checked():
    data = {
        "instructions": [
            {"appearance": {"gender": "female"}, "hair": {"style": "Rihanna bob"}},
            {"face": {"skin": "like Naomi Campbell"}},
        ],
        "name": "Bella Hadid look",
    }

    with pytest.raises(BriefError) as caught:
        validate_creation_request(data)

    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("name", 'Names of real people are not allowed: "Bella Hadid"'),
        ("instructions[0].hair.style", 'Names of real people are not allowed: "Rihanna"'),
        ("instructions[1].face.skin", 'Names of real people are not allowed: "Naomi Campbell"'),
    ]
    assert caught.value.blocked_term == "Bella Hadid"


def test_a_blocked_term_function_can_be_injected():
    with pytest.raises(BriefError) as caught:
        validate_creation_request(
            {"instructions": [{"prompt": "Like Test Person"}]},
            find_blocked=lambda text: "Test Person" if "Test Person" in text else None,
        )

    assert caught.value.blocked_term == "Test Person"


def test_the_api_refuses_a_disguised_name_with_400_and_the_blocked_term(alice_api):
    response = alice_api.post(
        "/api/v2/identity/create",
        {"instructions": [{"prompt": "A woman like T\u0430yl0r Sw1ft", "num_variations": 1}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["blocked_term"] == "Taylor Swift"
    assert response.json()["detail"][0]["field"] == "instructions[0].prompt"
