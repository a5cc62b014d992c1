from django.urls import path

from identities import views

app_name = "identities"
urlpatterns = [
    path("", views.library, name="library"),
]
