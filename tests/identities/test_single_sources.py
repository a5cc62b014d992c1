"""Rules with one home: the age range (`identities.ages`), progress percent
(`identities.selectors.job_progress`), sizes, ratios and formats (`identities.engines.sizes`)
and upload limits (`identities.imaging`). Each test shows a user reading the home, or agreeing
with it where a schema or a setting must spell the value itself."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import SIZE_CHOICES, SIZE_ORDER
from identities import ages, imaging, pricing
from identities.briefs import request as brief_request
from identities.briefs import schema
from identities.briefs.minors import age_problem
from identities.engines import base, sizes
from identities.filters import LibraryFilterForm
from identities.imaging import MAX_UPLOAD_BYTES, MAX_UPLOAD_PIXELS, ImageError, load_image
from identities.models import Draft, Job
from identities.selectors import job_progress
from identities.services import uploads
from identities.services.jobs import job_create
from tests.html import select_one
from tests.identities.test_imaging import png_header_only
from tests.pipeline import creation_request

# --- ages ----------------------------------------------------------------------------------


def test_the_library_filter_offers_the_ages_a_brief_may_ask_for():
    form = LibraryFilterForm()
    for name in ("min_age", "max_age"):
        field = form.fields[name]
        assert (field.min_value, field.max_value) == (ages.MIN_AGE, ages.MAX_AGE)
        assert LibraryFilterForm({name: ages.MIN_AGE}).is_valid()
        assert LibraryFilterForm({name: ages.MAX_AGE}).is_valid()
        assert not LibraryFilterForm({name: ages.MIN_AGE - 1}).is_valid()
        assert not LibraryFilterForm({name: ages.MAX_AGE + 1}).is_valid()


def test_the_briefs_age_check_uses_the_same_range():
    assert age_problem(str(ages.MIN_AGE)) is None
    assert age_problem(str(ages.MAX_AGE)) is None
    assert "or over" in age_problem(str(ages.MIN_AGE - 1))
    assert age_problem(str(ages.MAX_AGE + 1)) == (
        f"Must be between {ages.MIN_AGE} and {ages.MAX_AGE}"
    )


# --- progress ------------------------------------------------------------------------------


@pytest.fixture
def queued_job(alice):
    """Three drafts, none run yet (the tasks are never started)."""
    return job_create(
        account=alice.membership.account, user=alice, request=creation_request(variations=3)
    )


def _finish(job: Job, count: int, status: str) -> None:
    pending = job.drafts.filter(status=Draft.PENDING).order_by("variation")[:count]
    # A completed draft has its image; the file itself is never read here.
    image = "drafts/done.jpg" if status == Draft.COMPLETED else ""
    Draft.objects.filter(pk__in=[d.pk for d in pending]).update(status=status, image=image)


def test_progress_counts_finished_drafts_failed_ones_included(queued_job):
    assert job_progress(job=queued_job)["percent"] == 0
    _finish(queued_job, 1, Draft.COMPLETED)
    assert job_progress(job=queued_job)["percent"] == 33
    _finish(queued_job, 1, Draft.FAILED)
    progress = job_progress(job=queued_job)
    assert (progress["processed"], progress["total"], progress["percent"]) == (2, 3, 67)


def test_a_completed_job_is_at_100_percent(queued_job):
    _finish(queued_job, 3, Draft.COMPLETED)
    Job.objects.filter(pk=queued_job.pk).update(status=Job.COMPLETED)
    queued_job.refresh_from_db()
    assert job_progress(job=queued_job)["percent"] == 100


def test_the_page_and_the_api_show_the_selectors_percent(queued_job, alice_client, alice_api):
    _finish(queued_job, 2, Draft.COMPLETED)
    percent = job_progress(job=queued_job)["percent"]
    assert percent == 67
    page = alice_client.get(reverse("identities:job_detail", args=[queued_job.public_id]))
    bar = select_one(page, "#job-progress progress.progress-bar")
    assert (bar["value"], bar["max"]) == (str(percent), "100")
    status = alice_api.get(f"/api/v2/jobs/{queued_job.public_id}").json()
    assert status["progress"] == percent


# --- sizes, ratios, formats ----------------------------------------------------------------


def test_every_size_and_ratio_has_exact_pixels():
    assert set(sizes.PIXELS) == {(s, ar) for s in sizes.SIZES for ar in sizes.ASPECT_RATIOS}
    assert sizes.DEFAULT_SIZE in sizes.SIZES
    assert sizes.DEFAULT_AR in sizes.ASPECT_RATIOS
    assert sizes.DEFAULT_FORMAT in sizes.FORMATS


def test_the_engine_interface_names_the_same_vocabulary():
    assert base.SIZES is sizes.SIZES
    assert base.ASPECT_RATIOS is sizes.ASPECT_RATIOS
    assert base.FORMATS is sizes.FORMATS


def test_the_schema_the_briefs_and_the_plans_agree_with_the_vocabulary():
    assert schema.Size.__args__ == sizes.SIZES
    assert schema.AspectRatio.__args__ == sizes.ASPECT_RATIOS
    assert schema.Format.__args__ == sizes.FORMATS
    defaults = (brief_request.DEFAULT_SIZE, brief_request.DEFAULT_AR, brief_request.DEFAULT_FORMAT)
    assert defaults == (sizes.DEFAULT_SIZE, sizes.DEFAULT_AR, sizes.DEFAULT_FORMAT)
    assert [value for value, _ in SIZE_CHOICES] == list(sizes.SIZES)
    assert sorted(SIZE_ORDER, key=SIZE_ORDER.get) == list(sizes.SIZES)
    for table in (pricing.INHOUSE_DRAFT_CREDITS, pricing.EXTERNAL_DRAFT_CREDITS):
        assert list(table) == list(sizes.SIZES)


# --- upload limits -------------------------------------------------------------------------


def test_the_upload_services_apply_the_imaging_limits():
    assert uploads.MAX_UPLOAD_BYTES == imaging.MAX_UPLOAD_BYTES
    assert uploads.MAX_UPLOAD_PIXELS == imaging.MAX_UPLOAD_PIXELS
    assert MAX_UPLOAD_BYTES == imaging.MAX_UPLOAD_MEGABYTES * 1024 * 1024


def test_a_request_body_can_carry_the_largest_upload():
    # The two-step upload PUTs the raw file: Django refuses a body above this setting before
    # our own, clearer message about the file size could be given.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > MAX_UPLOAD_BYTES


def test_load_image_holds_images_to_the_upload_pixel_limit_by_default():
    width = 10_000
    height = MAX_UPLOAD_PIXELS // width
    with pytest.raises(ImageError, match="too large"):
        load_image(png_header_only(width, height + 1))
    # At the limit the header passes; this file then fails only for lacking its pixels.
    with pytest.raises(ImageError, match="damaged"):
        load_image(png_header_only(width, height))
