from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from casebook.filtersets import AuditEventFilterSet
from casebook.forms import SignInForm
from casebook.models import AuditEvent
from principles.models import Revision


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


def home(request):
    return render(request, "casebook/home.html", {"current_revision": Revision.objects.current()})


def audit_log(request):
    filterset = AuditEventFilterSet(request.GET or None, queryset=AuditEvent.objects.order_by("-id"))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "casebook/audit_log.html", {"filterset": filterset, "page": page})


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a username and address are locked out."""
    message = "Too many failed attempts for this account from this address. Try again later."
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=429)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "The request was malformed."}, status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side; it has been logged."}, status=500)
    return render(request, "500.html", status=500)
