from django.urls import path

from identities.views import library, media

app_name = "identities"
urlpatterns = [
    path("", library.library, name="library"),
    path("m/<str:token>", media.media_signed, name="media_signed"),
]
