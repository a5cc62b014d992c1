from django.contrib import admin
from django.urls import include, path

from config.api.main import api

admin.site.site_header = "Castless admin"
admin.site.site_title = "Castless admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v2/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("identities.urls")),
]
