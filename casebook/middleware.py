import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from rest_framework.views import APIView

from audit.denials import record_denial
from casebook import access, views
from core.context import request_id_var
from core.errors import Conflict

requests_log = logging.getLogger("casebook.requests")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (a sane X-Request-ID from the proxy, or a new one) that
    the response echoes and every audit entry of the request carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            # The access log, one line a request (gunicorn's own is off), by user id: no names.
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": request.user.pk if getattr(request, "user", None) else None,
                },
            )
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class NoStoreMiddleware:
    """No answer of Casebook's is kept by a browser's or a proxy's cache: a page or an API
    answer may hold a restricted case, and must not outlive the person's sign-out or a
    narrowing of who may see it. (Static files are answered before this, by WhiteNoise.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class AccessMiddleware:
    """Applies the access map (casebook/access.py) to every page before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None  # the API applies the same map in casebook.access.MappedAccess
        view_name = request.resolver_match.view_name
        if access.is_allowed(request.user, view_name, request.method):
            return None
        if not request.user.is_authenticated and not access.is_public(view_name, request.method):
            return redirect_to_login(request.get_full_path())
        record_denial(request, view_name)
        raise PermissionDenied


class ConflictMiddleware:
    """A page whose record's state forbids the request answers 409 and says why. (The API
    answers the same in JSON through its exception handler.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Conflict):
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None


class NotFoundMiddleware:
    """Casebook's own 404 page in every mode. With DEBUG on, as `make run` serves, Django
    would answer with its technical page instead, which lists every URL pattern and names
    the view that found nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL pattern matched (so no view answered): with DEBUG off Django has already
        # called handler404, with it on this is the technical page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return views.not_found(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return views.not_found(request, exception)
        return None
