"""URLs of the core pages (home, sign-in)."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from dpti.core.views import attachments, deadlines, pages
from dpti.core.views.preferences import PreferencesView

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("recherche/", pages.SearchView.as_view(), name="search"),
    path("administration/roles/", pages.RolesView.as_view(), name="roles"),
    path(
        "connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "pieces-jointes/<int:content_type_id>/<int:object_id>/ajouter/",
        attachments.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "pieces-jointes/<int:pk>/telecharger/",
        attachments.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "pieces-jointes/<int:pk>/supprimer/",
        attachments.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "commentaires/<int:content_type_id>/<int:object_id>/ajouter/",
        attachments.CommentAddView.as_view(),
        name="comment_add",
    ),
    path(
        "commentaires/<int:pk>/supprimer/",
        attachments.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
    path("echeances/", deadlines.DeadlineRegisterView.as_view(), name="deadlines"),
    path("echeances/calendrier/", deadlines.CalendarTokenView.as_view(), name="deadline_calendar"),
    re_path(
        r"^echeances/calendrier/(?P<secret>[A-Za-z0-9_-]{20,64})\.ics$",
        deadlines.CalendarFeedView.as_view(),
        name="deadline_calendar_feed",
    ),
    path("preferences/", PreferencesView.as_view(), name="preferences"),
    # Named templates: django.contrib.admin, installed first, ships its own
    # registration/password_change_*.html, which would win over DPTI's pages.
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            template_name="core/account/password_change_form.html"
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="core/account/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
