from django.urls import include, path

from identities.views import add_existing, balance, jobs, library, media, runs, verify

app_name = "identities"
urlpatterns = [
    path("", library.library, name="library"),
    path("create/", include("identities.wizard.urls")),
    path("add-existing/", add_existing.add_existing, name="add_existing"),
    path("add-existing/confirm/", add_existing.add_existing_confirm, name="add_existing_confirm"),
    path("identities/<str:code>/", library.identity_detail, name="identity_detail"),
    path("identities/<str:code>/rename/", library.identity_rename_view, name="identity_rename"),
    path("identities/<str:code>/delete/", library.identity_delete_view, name="identity_delete"),
    path("identities/<str:code>/use-brief/", library.identity_use_brief, name="identity_use_brief"),
    path("identities/<str:code>/create-images/", runs.run_create, name="run_create"),
    path("identities/<str:code>/create-images/cost/", runs.run_cost, name="run_cost"),
    path("runs/<str:run_id>/", runs.run_detail, name="run_detail"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<str:job_id>/", jobs.job_detail, name="job_detail"),
    path("drafts/<int:draft_id>/", jobs.draft_detail, name="draft_detail"),
    path("drafts/<int:draft_id>/promote/", jobs.draft_promote, name="draft_promote"),
    path("m/<str:token>", media.media_signed, name="media_signed"),
    path("nav/balance/", balance.nav_balance, name="nav_balance"),
    path("verify/", verify.verify, name="verify"),
]
