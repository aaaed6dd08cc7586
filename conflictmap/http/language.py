"""The language of a page or an API answer: the one `?lang=` names (en, ar), else the
DEFAULT_LANGUAGE setting (settings.LANGUAGES, LANGUAGE_CODE).

Django's LocaleMiddleware would also read Accept-Language, a cookie or a URL prefix; here the
choice is the reader's, made with the map's language switch and kept in the links they share, so
every reader of a link sees the same page and no cache has to vary on a request header.
"""

from django.conf import settings
from django.utils import translation


class LanguageFromQuery:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        # The query string as sent, not request.GET: the layer API's hot path parses no QueryDict.
        query = request.META.get("QUERY_STRING", "")
        asked = request.GET.get("lang", "") if "lang=" in query else ""
        language = asked if asked in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def localized(item, field: str) -> str:
    """`item`'s `field` in the active language: its `<field>_ar` in Arabic where it has one."""
    if translation.get_language() == "ar" and (arabic := getattr(item, f"{field}_ar", "")):
        return arabic
    return getattr(item, field)
