"""URLs of the core pages (home, sign-in)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from dpti.core.views import pages

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("recherche/", pages.SearchView.as_view(), name="search"),
    path("administration/roles/", pages.RolesView.as_view(), name="roles"),
    path(
        "connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
