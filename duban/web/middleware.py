"""A request body over ``DUBAN_MAX_REQUEST_BYTES`` is refused before anything reads it.

Django reads an upload whole before a form can refuse it (a 60 MB file was read, then refused
for being over 10 MB). This middleware, first in the chain, answers 413 with a Chinese page from
the declared length alone; the front web server caps the same size (README: client_max_body_size).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024


def max_request_bytes() -> int:
    return int(getattr(settings, "DUBAN_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))


class RequestSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = max_request_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > limit:
            context = {"limit_mb": limit / (1024 * 1024), "back": _same_site_referer(request)}
            page = render_to_string("web/request_too_large.html", context)
            return HttpResponse(page, status=413)
        return self.get_response(request)


def _same_site_referer(request: HttpRequest) -> str:
    """The page the refused form was on, when it is this site's (a link back; the policy allows no script)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"
