from django.contrib import admin
from django.urls import include, path

from config.api.main import api
from config.api.v1 import api_v1

admin.site.site_header = "Castless admin"
admin.site.site_title = "Castless admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v2/", api.urls),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("identities.urls")),
]
