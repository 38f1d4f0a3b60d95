"""Chinese by default, English on request.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a laptop set up in English would show
the pages in English although the people who use them work in Chinese. This middleware takes the language
from the switch in the page header (the ``django_language`` cookie that ``set_language`` sets) and otherwise
uses ``settings.LANGUAGE_CODE`` (zh-hans). To be registered in place of
``django.middleware.locale.LocaleMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class CookieLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
