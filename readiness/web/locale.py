"""Chinese by default, English on request.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a laptop set up in English would show
the pages in English although the people who use them work in Chinese. This middleware takes the language
from the switch in the page header (the ``django_language`` cookie that ``set_language`` sets) and otherwise
uses ``settings.LANGUAGE_CODE`` (zh-hans). To be registered in place of
``django.middleware.locale.LocaleMiddleware``.

The API (``/api/``) is different: a program says which language it reads in ``Accept-Language``, and every
message of an answer (problem titles and details, validation messages) comes in that language, Chinese when it
names none of ours. Machine-readable parts (problem ``type``, JSON paths) do not change.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

API_PREFIX = "/api/"


class CookieLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith(API_PREFIX)
        if api:
            language = self._accepted(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",) if api else ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    @staticmethod
    def _accepted(header: str) -> str:
        """The first language of Accept-Language (in the client's order of preference) that we have."""
        for code, _quality in trans_real.parse_accept_lang_header(header):
            if code == "*":
                break
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
        return settings.LANGUAGE_CODE
