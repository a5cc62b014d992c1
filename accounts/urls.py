from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import team_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("credits/", views.credits, name="credits"),
    path("settings/invitations/", team_views.invitation_new, name="invitation_create"),
    path(
        "settings/invitations/<int:invitation_id>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "settings/members/<int:membership_id>/remove/",
        team_views.member_remove,
        name="member_remove",
    ),
    path("settings/members/<int:membership_id>/role/", team_views.member_role, name="member_role"),
    path("workspace/", team_views.workspace_switch, name="workspace_switch"),
    path("invite/<str:secret>/", team_views.invitation_open, name="invitation_open"),
]
