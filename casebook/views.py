from dataclasses import replace

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404, record_denial
from casebook import citator, search
from casebook.api.search import DraftSerializer
from casebook.filtersets import (
    CaseFilterSet,
    ImpactFilterSet,
    PartnerFilterSet,
    SearchFilterSet,
)
from casebook.forms import (
    CaseForm,
    CitationFormSet,
    ConditionFormSet,
    ConditionProgressForm,
    DecisionForm,
    PartnerForm,
    SignInForm,
    TagsForm,
)
from casebook.models import (
    Case,
    Citation,
    Condition,
    Decision,
    ImpactItem,
    Partner,
    SavedSearch,
    SearchEntry,
)
from casebook.search.similar import Draft, similar
from casebook.services import (
    case_file,
    case_record_read,
    case_set_tags,
    case_update,
    impact_item_review,
    partner_save,
    saved_search_delete,
    saved_search_save,
    similarity_mark,
)
from core.errors import Conflict
from core.forms import add_service_errors
from core.roles import Role
from principles.models import Revision
from reviews.discussion import discussion_context
from reviews.forms import AssignmentForm, ReassessmentForm, RecusalForm
from reviews.models import Opinion, Reassessment
from reviews.queues import work_for
from reviews.scrutiny import crossed_red_lines, scrutiny_reasons
from reviews.services import (
    case_reopen,
    case_start_review,
    case_submit,
    case_withdraw,
    condition_update,
    decision_issue,
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


def home(request):
    """The landing page after sign-in: the person's own work queues."""
    today = timezone.localdate()
    context = {
        "current_revision": Revision.objects.in_force(),
        "work": work_for(request.user, today=today),
        "today": today,
    }
    return render(request, "casebook/home.html", context)


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


# Partners ---------------------------------------------------------------------------


def partner_list(request):
    filterset = PartnerFilterSet(request.GET or None, queryset=Partner.objects.all())
    return render(request, "casebook/partner_list.html", {"filterset": filterset, "partners": filterset.qs})


def partner_form(request, pk=None):
    partner = get_object_or_404(Partner, pk=pk) if pk else Partner()
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner = partner_save(partner=partner, facts=form.cleaned_data, by=request.user)
        messages.success(request, f"{partner} saved.")
        return redirect("partner-list")
    return render(request, "casebook/partner_form.html", {"form": form, "partner": partner})


def partner_detail(request, pk):
    """A partner, its cases (as far as the reader may see) and its reassessments."""
    partner = get_object_or_404(Partner, pk=pk)
    visible = Case.objects.visible_to(request.user)
    context = {
        "partner": partner,
        "cases": visible.filter(partner=partner).order_by("-submitted_at", "-id"),
        "reassessments": [
            (reassessment, reassessment.results(visible), reassessment.is_open_for(visible))
            for reassessment in partner.reassessments.select_related("opened_by")
        ],
        "form": ReassessmentForm(),
    }
    return render(request, "casebook/partner_detail.html", context)


# Cases ------------------------------------------------------------------------------


def _visible_case(request, pk) -> Case:
    case = get_visible_or_404(
        request, Case.objects.visible_to(request.user).select_related("partner", "filed_by"), pk=pk
    )
    case_record_read(case=case, by=request.user)
    return case


def _editable_case(request, pk) -> Case:
    case = _visible_case(request, pk)
    if not case.is_filer(request.user):
        record_denial(request, request.resolver_match.view_name)
        raise PermissionDenied
    if not case.is_editable:
        raise Conflict(f"{case.docket} is {case.get_status_display().lower()}: its facts are fixed.")
    return case


def search_page(request):
    """Precedent search: the words, the filters and the facets all in the query string."""
    filterset = SearchFilterSet(request.GET or None, queryset=SearchEntry.objects.all())
    found = None
    if filterset.is_bound and filterset.is_valid():
        page = request.GET.get("page", "1")
        found = search.search_with(filterset, user=request.user, page=int(page) if page.isdecimal() else 1)
        for values in found.facets.values():
            for value in values:
                value.href = _with_params(request, value.params) if value.params else None
    context = {
        "filterset": filterset,
        "filtered": any(value for name, value in request.GET.items() if name not in ("q", "as_of", "page")),
        "found": found,
        "facet_labels": search.FACET_LABELS,
        "previous": _with_params(request, {"page": found.page - 1}) if found and found.page > 1 else None,
        "next": _with_params(request, {"page": found.page + 1}) if found and found.page < found.pages else None,
    }
    return render(request, "casebook/search.html", context)


@require_POST
def case_similar_draft(request):
    """The similar past decisions beside the filing form, from what it says so far (htmx)."""
    given = QueryDict(mutable=True)
    for name in DraftSerializer().fields:
        values = [value for value in request.POST.getlist(name) if value]
        if values:
            given.setlist(name, values)
    data = DraftSerializer(data=given)
    if not data.is_valid():
        # Half-written: the form says what is wrong when it is saved; here, nothing to show yet.
        return HttpResponse('<p class="usa-hint">Similar past decisions appear here as you write.</p>')
    draft = data.draft()
    case = Case.objects.visible_to(request.user).filter(pk=request.POST.get("case") or 0).first()
    if case is not None:
        draft = replace(draft, case_id=case.pk, tags=Draft.of(case).tags)
    context = {"similarity": similar(user=request.user, draft=draft), "live": True}
    return render(request, "casebook/_similar.html", context)


@require_POST
def case_not_similar(request, pk):
    case = _visible_case(request, pk)
    suggested = Case.objects.filter(pk=request.POST.get("similar_case") or 0).first()
    try:
        if suggested is None:
            raise ValidationError({"similar_case": "There is no decided case like that for you to mark."})
        similarity_mark(case=case, similar_case=suggested, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{suggested.docket} is marked not similar; it will rank lower from now on.")
    return redirect(f"{reverse('case-detail', args=[case.pk])}#similar")


def saved_search_list(request):
    """The user's saved searches; POST saves the search the page was showing."""
    if request.method == "POST":
        try:
            saved = saved_search_save(
                owner=request.user, name=request.POST.get("name", ""), query=request.POST.get("query", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('search')}?{request.POST.get('query', '')}")
        messages.success(request, f"Saved “{saved.name}”: you will be told when a new decision matches it.")
        return redirect("saved-search-list")
    saved = SavedSearch.objects.filter(owner=request.user)
    return render(request, "casebook/saved_search_list.html", {"saved_searches": saved})


@require_POST
def saved_search_delete_view(request, pk):
    saved = get_visible_or_404(request, SavedSearch.objects.filter(owner=request.user), pk=pk)
    saved_search_delete(saved=saved, by=request.user)
    messages.success(request, f"“{saved.name}” is no longer saved.")
    return redirect("saved-search-list")


def impact_queue(request):
    """The decisions in force that relied on provisions a revision changed, for legal."""
    items = ImpactItem.objects.visible_to(request.user).select_related("revision", "decision__case", "reviewed_by")
    filterset = ImpactFilterSet(request.GET or {"reviewed": "false"}, queryset=items)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "casebook/impact_queue.html", {"filterset": filterset, "page": page})


@require_POST
def impact_review(request, pk):
    item = get_visible_or_404(
        request, ImpactItem.objects.visible_to(request.user).select_related("decision__case"), pk=pk
    )
    try:
        impact_item_review(item=item, by=request.user, note=request.POST.get("note", "")[:5000])
    except ValidationError as exc:
        messages.error(request, f"{item.decision.case.docket}: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{item.decision.case.docket} is marked re-examined.")
    return redirect("impact-queue")


# Cytoscape.js sets the style attribute of the elements it draws, so this one page allows
# inline styles, as the API docs do; scripts stay locked to our own files.
@csp_update({"style-src": [UNSAFE_INLINE]})
def decision_graph(request, pk):
    """The citation graph around one decision, drawn in the browser from JSON in the page."""
    decisions = Decision.objects.visible_to(request.user).select_related("case")
    decision = get_visible_or_404(request, decisions, pk=pk)
    case_record_read(case=decision.case, by=request.user)
    graph = citator.citation_graph(decision, seen_by=request.user)
    return render(request, "casebook/decision_graph.html", {"decision": decision, "graph": graph})


def _with_params(request, params: dict) -> str:
    """This page's address with `params` set (a new filter starts again from page one)."""
    query = request.GET.copy()
    if "page" not in params:
        query.pop("page", None)
    for name, value in params.items():
        query[name] = value
    return f"?{query.urlencode()}"


def case_list(request):
    cases = Case.objects.visible_to(request.user).select_related("partner")
    filterset = CaseFilterSet(request.GET or None, queryset=cases)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
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
            case_update(case=case, by=request.user, facts=form.facts())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Case saved.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "casebook/case_form.html", {"form": form, "case": case})


def case_detail(request, pk):
    case = _visible_case(request, pk)
    current = Revision.objects.in_force()
    current_texts = current.texts_by_code() if current else {}
    tags = [
        {"tag": tag, "revised": not tag.provision_text.same_wording(current_texts.get(tag.provision.code))}
        for tag in case.tags.select_related("provision", "provision_text__revision")
    ]
    visible = Case.objects.visible_to(request.user)
    decisions = case.decisions.select_related("decided_by", "revision", "escalation__by").prefetch_related(
        "conditions",
        Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
        Prefetch("citations", queryset=Citation.objects.select_related("cited__case", "provision")),
        Prefetch(
            "cited_by",
            queryset=Citation.objects.filter(citing__case__in=visible).select_related("citing__case", "provision"),
            to_attr="visible_cited_by",
        ),
    )
    precedent = citator.statuses(list(decisions), seen_by=request.user)
    for decision in decisions:
        decision.precedent = precedent[decision.pk]
    assignments = list(case.assignments.select_related("person"))
    mine = [a for a in assignments if a.person_id == request.user.pk and not a.recused_at]
    context = {
        **discussion_context(case, request.user),
        "similarity": similar(user=request.user, draft=Draft.of(case)) if case.status != "withdrawn" else None,
        "open_reassessments": Reassessment.objects.filter(partner=case.partner_id)
        .awaiting(visible)
        .select_related("opened_by"),
        "scrutiny": scrutiny_reasons(case),
        "crossed": crossed_red_lines(case),
        "can_escalate": request.user.has_role(Role.ADMIN),
        "can_see_opinions": not any(a.person_id == request.user.pk and a.recused_at for a in assignments),
        "open_opinions": case.opinions.filter(decision__isnull=True).select_related("author"),
        "my_opinion": case.opinions.filter(decision__isnull=True, author=request.user).exists(),
        "can_opine": case.is_editable and case.status != "draft" and any(a.duty == "reviewer" for a in mine),
        "case": case,
        "tags": tags,
        "decisions": decisions,
        "assignments": assignments,
        "assign_form": AssignmentForm(),
        "recusal_form": RecusalForm(),
        "assigned_to_me": bool(mine),
    }
    return render(request, "casebook/case_detail.html", context)


def case_tags(request, pk):
    case = _editable_case(request, pk)
    current = Revision.objects.in_force()
    texts = list(current.texts.select_related("provision")) if current else []
    existing = {t.provision.code: t for t in case.tags.select_related("provision")}
    form = TagsForm(request.POST or None, texts=texts, tags=existing)
    if request.method == "POST" and form.is_valid():
        try:
            case_set_tags(case=case, by=request.user, tags=form.tags())
        except ValidationError as exc:
            for code, messages_ in exc.message_dict.items():
                form.add_error(f"stance_{code}" if f"stance_{code}" in form.fields else None, messages_)
        else:
            messages.success(request, "Tags saved.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "casebook/case_tags.html", {"case": case, "form": form, "revision": current})


@require_POST
def case_submit_view(request, pk):
    case = _visible_case(request, pk)
    if not case.is_filer(request.user):
        record_denial(request, request.resolver_match.view_name)
        raise PermissionDenied
    case = case_submit(case=case, by=request.user)
    messages.success(request, f"Submitted as {case.docket}.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_start_review_view(request, pk):
    case = case_start_review(case=_visible_case(request, pk), by=request.user)
    messages.success(request, f"{case.docket} is in review.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_reopen_view(request, pk):
    case = _visible_case(request, pk)
    try:
        case = case_reopen(case=case, by=request.user, reason=request.POST.get("reason", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{case.docket} is reopened. Put it into review to decide it again.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_withdraw_view(request, pk):
    case = case_withdraw(case=_visible_case(request, pk), by=request.user)
    messages.success(request, f"{case.docket or 'The draft'} is withdrawn.")
    return redirect("case-detail", pk=case.pk)


def case_decide(request, pk):
    case = _visible_case(request, pk)
    if not case.can("decide"):
        case.decide()  # refuses, saying why
    form = DecisionForm(request.POST or None)
    conditions = ConditionFormSet(request.POST or None, prefix="conditions")
    citations = CitationFormSet(request.POST or None, prefix="citations")
    if request.method == "POST" and form.is_valid() and conditions.is_valid() and citations.is_valid():
        cited = _cited_decisions(request, citations)
        try:
            decision_issue(
                case=case,
                by=request.user,
                conditions=[c.cleaned_data for c in conditions if c.cleaned_data],
                citations=cited,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The decision on {case.docket} is issued.")
            return redirect("case-detail", pk=case.pk)
    context = {"case": case, "form": form, "conditions": conditions, "citations": citations}
    return render(request, "casebook/case_decide.html", context)


def decision_memo(request, pk):
    """One decision as a memo to print for the partner-facing team."""
    decisions = Decision.objects.visible_to(request.user).select_related(
        "case__partner", "decided_by", "revision", "supersedes", "superseded_by"
    )
    decision = get_visible_or_404(request, decisions, pk=pk)
    case_record_read(case=decision.case, by=request.user)
    context = {
        "decision": decision,
        "case": decision.case,
        "red_lines": decision.case.tags.filter(provision__kind="red_line").select_related(
            "provision", "provision_text"
        ),
        "citations": decision.citations.select_related("cited__case", "provision"),
    }
    return render(request, "casebook/decision_memo.html", context)


def _cited_decisions(request, citations) -> list[dict]:
    """The citations as the service takes them: a docket names its case's live decision,
    as far as this user may see it (else the service says there is none to cite)."""
    visible = Decision.objects.visible_to(request.user).filter(superseded_by__isnull=True)
    rows = []
    for citation in citations:
        if citation.cleaned_data:
            data = dict(citation.cleaned_data)
            decision = visible.filter(case__docket=data.pop("docket")).first()
            rows.append({**data, "decision": decision.pk if decision else 0})
    return rows


def condition_update_view(request, pk):
    visible = Condition.objects.visible_to(request.user)
    condition = get_visible_or_404(request, visible.select_related("decision__case"), pk=pk)
    if not condition.can_track(request.user):
        record_denial(request, request.resolver_match.view_name)
        raise PermissionDenied
    form = ConditionProgressForm(
        request.POST or None, initial={"status": condition.status, "evidence": condition.evidence}
    )
    if request.method == "POST" and form.is_valid():
        try:
            condition_update(condition=condition, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("case-detail", pk=condition.decision.case_id)
    return render(request, "casebook/condition_form.html", {"condition": condition, "form": form})
