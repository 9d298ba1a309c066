from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone

from audit.denials import refusal_on_record
from casebook.filtersets import CaseFilterSet, PartnerFilterSet
from casebook.forms import (
    CaseForm,
    PartnerForm,
    SignInForm,
    TagsForm,
    lockout_minutes,
)
from casebook.models import Case, Partner
from casebook.services import (
    case_file,
    case_set_tags,
    case_snapshot,
    case_update,
    cases_record_shown,
    partner_save,
    partner_snapshot,
    tags_snapshot,
)
from casebook.shortcuts import get_case_or_404
from core import versions
from core.forms import add_service_errors, stale_form
from principles.models import Revision


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a username and address are locked out."""
    message = "Too many failed attempts for this account from this address. Try again later."
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=429)
    # Each attempt during the pause starts it again (django-axes's default), so it ends a
    # cool-off from now.
    context = {"minutes": lockout_minutes(), "until": timezone.now() + settings.AXES_COOLOFF_TIME}
    return render(request, "registration/locked_out.html", context, status=429)


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
    # Without the request: its context processors query the database, which may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))


# Partners ---------------------------------------------------------------------------


def partner_list(request):
    filterset = PartnerFilterSet(request.GET or None, queryset=Partner.objects.all())
    return render(request, "casebook/partner_list.html", {"filterset": filterset, "partners": filterset.qs})


def partner_form(request, pk=None):
    partner = get_object_or_404(Partner, pk=pk) if pk else Partner()
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_save(
                partner=partner, facts=form.facts(), by=request.user, version=versions.seen_version(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            form = stale_form(
                lambda data: PartnerForm(data, instance=Partner.objects.get(pk=pk)),
                request.POST,
                seen=versions.seen(form),
                current=partner_snapshot(Partner.objects.get(pk=pk)),
                what="partner",
            )
        else:
            messages.success(request, f"{partner} saved.")
            return redirect("partner-list")
    return render(request, "casebook/partner_form.html", {"form": form, "partner": partner})


# Cases ------------------------------------------------------------------------------


def _editable_case(request, pk) -> Case:
    """The case whose facts or tags its filer is about to change (the rule is the case's)."""
    case = get_case_or_404(request, pk)
    with refusal_on_record(request):
        case.check_editable_by(request.user)
    return case


def case_list(request):
    cases = Case.objects.visible_to(request.user).select_related("partner")
    filterset = CaseFilterSet(request.GET or None, queryset=cases)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    cases_record_shown(case_ids=[case.pk for case in page], by=request.user, via="the case list")
    return render(request, "casebook/case_list.html", {"filterset": filterset, "page": page})


def case_new(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_file(by=request.user, facts=form.facts())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Draft saved. Submit it when it is ready for review.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "casebook/case_form.html", {"form": form})


def case_edit(request, pk):
    case = _editable_case(request, pk)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_update(case=case, by=request.user, facts=form.facts(), version=versions.seen_version(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            # The form's instance took the editor's entries: the case as it is comes afresh.
            form = stale_form(
                lambda data: CaseForm(data, instance=Case.objects.get(pk=pk)),
                request.POST,
                seen=versions.seen(form),
                current=case_snapshot(Case.objects.get(pk=pk)),
                what="case",
            )
        else:
            messages.success(request, "Case saved.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "casebook/case_form.html", {"form": form, "case": case})


def case_tags(request, pk):
    case = _editable_case(request, pk)
    current = Revision.objects.in_force()
    texts = list(current.texts.select_related("provision")) if current else []
    existing = {t.provision.code: t for t in case.tags.select_related("provision")}
    form = TagsForm(request.POST or None, texts=texts, tags=existing, snapshot=tags_snapshot(case))
    if request.method == "POST" and form.is_valid():
        try:
            case_set_tags(case=case, by=request.user, tags=form.tags(), version=versions.seen_version(form))
        except ValidationError as exc:
            add_service_errors(form, _keyed_by_stance_field(exc, form))
        except versions.Stale:
            now = {t.provision.code: t for t in case.tags.select_related("provision")}
            form = stale_form(
                lambda data: TagsForm(data, texts=texts, tags=now, snapshot=tags_snapshot(case)),
                request.POST,
                seen=_by_field(versions.seen(form)),
                current=_by_field(tags_snapshot(case)),
                what="case's tags",
            )
        else:
            messages.success(request, "Tags saved.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "casebook/case_tags.html", {"case": case, "form": form, "revision": current})


def _keyed_by_stance_field(exc: ValidationError, form) -> ValidationError:
    """The service keys its refusals by provision code; the form's fields are per stance."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            f"stance_{code}" if f"stance_{code}" in form.fields else NON_FIELD_ERRORS: e
            for code, e in exc.error_dict.items()
        }
    )


def _by_field(snapshot: dict) -> dict:
    """Tags as the form's fields hold them, so a stale form keeps each note its editor wrote
    even where someone else changed that provision's stance."""
    return {
        f"{part}_{code}": value
        for code, tag in snapshot.items()
        for part, value in (("stance", tag["stance"]), ("note", tag["note"]))
    }
