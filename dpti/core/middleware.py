"""The language of the pages: the person's choice, never the browser's."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_of(user):
    """The language to speak to this user: his preference, else settings.LANGUAGE_CODE."""
    if user is not None and user.is_authenticated:
        return getattr(user, "interface_language", settings.LANGUAGE_CODE)
    return settings.LANGUAGE_CODE


def activate_language_of(request, user):
    """Speak the user's language for the rest of this request."""
    translation.activate(language_of(user))
    request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    """Replaces Django's LocaleMiddleware, which follows the browser's Accept-Language: an
    English browser got English pages (and mm/dd/yyyy native dates) inside a French
    institution. French for everyone, English only for those who chose it in their
    preferences. Placed after AuthenticationMiddleware (it reads the signed-in user); API
    calls authenticated by token get their user's language from the API views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_language_of(request, getattr(request, "user", None))
        response = self.get_response(request)
        # The page depends on the session (the user), not on the browser's language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
