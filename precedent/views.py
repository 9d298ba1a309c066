"""Precedent search's pages: search and saved searches, similar decisions (as a case is
written, and the marks on them), the impact queue and citation graphs."""

import csv
from dataclasses import replace

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404, refusal_on_record
from casebook.choices import Treatment
from casebook.models import Case, Decision
from casebook.services import case_record_read, cases_record_shown, tag_suggestion_judge
from casebook.shortcuts import get_case_or_404
from core.pdf import pdf_response
from precedent import search
from precedent.api.serializers import AsOfSerializer, DraftSerializer, GraphAskedSerializer, PageSerializer
from precedent.case_law import SHOWN_PER_GROUP, case_law
from precedent.choices import AlertFrequency
from precedent.digest import digest, month
from precedent.filtersets import SORTS, ImpactFilterSet, SearchFilterSet, describe
from precedent.graph import DEPTHS, citation_graph
from precedent.models import DigestSubscription, ImpactItem, SavedSearch, SearchEntry
from precedent.search import CaseFacts, similar
from precedent.services import (
    digest_subscribe,
    digest_unsubscribe,
    impact_item_review,
    saved_search_delete,
    saved_search_save,
    similarity_mark,
)
from precedent.suggestions import suggest_tags
from principles.models import Provision


def search_page(request):
    """Precedent search: the words, the filters and the facets all in the query string."""
    filterset = SearchFilterSet(request.GET or None, queryset=SearchEntry.objects.all())
    found = None
    if filterset.is_bound and filterset.is_valid() and request.GET.get("format") == "csv":
        return _search_csv(request, filterset)
    if filterset.is_bound and filterset.is_valid():
        paging = PageSerializer(data={"page": request.GET.get("page", 1)})  # as the API bounds it
        found = search.search_with(
            filterset, user=request.user, page=paging.validated_data["page"] if paging.is_valid() else 1
        )
        shown = [result.entry.case_id for result in found.results]
        cases_record_shown(case_ids=shown, by=request.user, via="precedent search")
        for values in found.facets.values():
            for value in values:
                value.href = _with_params(request, value.params) if value.params else None
    chips = [(text, _without(request, name, value)) for text, name, value in filterset.described()]
    context = {
        "filterset": filterset,
        "chips": chips,
        "frequencies": AlertFrequency.choices,
        # The words and date come first; sort and tags are hidden, the links' (chips, facets, sort).
        "more_filters": [field for field in filterset.form.visible_fields() if field.name not in ("q", "as_of")],
        "sorts": [(value, label, _with_params(request, {"sort": value})) for value, label in SORTS],
        "csv": _with_params(request, {"format": "csv"}) if found else None,
        "found": found,
        "facet_labels": search.FACET_LABELS,
        "previous": _with_params(request, {"page": found.page - 1}) if found and found.page > 1 else None,
        "next": _with_params(request, {"page": found.page + 1}) if found and found.page < found.pages else None,
    }
    return render(request, "precedent/search.html", context)


# A result list exported is read in a spreadsheet: the first thousand are plenty to work on.
EXPORTED = 1000


def _search_csv(request, filterset) -> HttpResponse:
    """The results of the search as CSV, best first (or in the order asked), up to EXPORTED."""
    found = search.search_with(filterset, user=request.user, per_page=EXPORTED, facets=False)
    cases_record_shown(
        case_ids=[result.entry.case_id for result in found.results], by=request.user, via="a precedent search exported"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="precedent-search.csv"'
    rows = csv.writer(response)
    rows.writerow(
        ["Docket", "Title", "Partner", "Outcome", "Decided", "Revision", "Precedent", "Cited by", "Holding", "Link"]
    )
    for result in found.results:
        decision = result.decision
        rows.writerow(
            _cell(value)
            for value in [
                result.case.docket or "",
                result.case.title,
                result.case.partner.name,
                decision.get_outcome_display() if decision else result.case.get_status_display(),
                f"{decision.issued_at:%Y-%m-%d}" if decision else "",
                decision.revision.number if decision else "",
                result.status.label if result.status else "",
                result.cited,
                decision.holding if decision else "",
                request.build_absolute_uri(reverse("case-detail", args=[result.case.pk])),
            ]
        )
    return response


def _cell(value):
    # A spreadsheet runs a cell that starts so as a formula: what reviewers typed is text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value


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
        draft = replace(draft, case_id=case.pk, tags=CaseFacts.of(case).tags)
    suggested = []
    if not draft.tags:
        # Untagged as yet: ranked as if tagged as the case law suggests, and said so.
        suggested = suggest_tags(draft=draft, seen_by=request.user, case=case)
        draft = replace(draft, tags=tuple(s.pair for s in suggested))
    context = {"similarity": similar(user=request.user, draft=draft), "live": True, "suggested": suggested}
    return render(request, "precedent/_similar.html", context)


def case_tag_suggestions(request, pk):
    """The tags the case law suggests for a case, beside its tag form (htmx loads them), and
    its filer's one-click verdict on one (POST: accept tags the case so; reject only notes it)."""
    case = get_case_or_404(request, pk)
    with refusal_on_record(request):
        case.check_editable_by(request.user, what="tags")
    if request.method == "POST":
        accepted = request.POST.get("verdict") == "accept"
        try:
            verdict = tag_suggestion_judge(
                case=case,
                by=request.user,
                code=request.POST.get("code", ""),
                stance=request.POST.get("stance", ""),
                accepted=accepted,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            what = f"{verdict.provision.code} {verdict.get_stance_display().lower()}"
            messages.success(
                request, f"Tagged {what}." if accepted else f"{what.capitalize()} will not be suggested again."
            )
        return redirect("case-tags", pk=case.pk)
    suggestions = suggest_tags(draft=CaseFacts.of(case), seen_by=request.user, case=case)
    cases_record_shown(
        case_ids=[c.pk for s in suggestions for c in s.precedents], by=request.user, via="suggested tags"
    )
    return render(request, "precedent/_tag_suggestions.html", {"case": case, "suggestions": suggestions})


@require_POST
def case_not_similar(request, pk):
    case = get_case_or_404(request, pk)
    given = request.POST.get("similar_case", "")
    try:
        mark = similarity_mark(
            case=case,
            similar_case_id=int(given) if given.isdecimal() else None,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{mark.similar_case.docket} is marked not similar; it will rank lower from now on.")
    return redirect(f"{reverse('case-detail', args=[case.pk])}#similar")


def saved_search_list(request):
    """The user's saved searches; POST saves the search the page was showing."""
    if request.method == "POST":
        try:
            saved = saved_search_save(
                owner=request.user,
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                frequency=request.POST.get("frequency", AlertFrequency.IMMEDIATELY),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('search')}?{request.POST.get('query', '')}")
        when = {
            AlertFrequency.IMMEDIATELY: "when a new decision matches it",
            AlertFrequency.DAILY: "each day of the new decisions that match it",
            AlertFrequency.WEEKLY: "each week of the new decisions that match it",
        }[saved.frequency]
        messages.success(request, f"Saved “{saved.name}”: you will be told {when}.")
        return redirect("saved-search-list")
    saved = [(saved, describe(saved.query)) for saved in SavedSearch.objects.filter(owner=request.user)]
    return render(
        request, "precedent/saved_search_list.html", {"saved_searches": saved, "frequencies": AlertFrequency.choices}
    )


@require_POST
def saved_search_delete_view(request, pk):
    saved = get_visible_or_404(request, SavedSearch.objects.filter(owner=request.user), pk=pk)
    saved_search_delete(saved=saved, by=request.user)
    messages.success(request, f"“{saved.name}” is no longer saved.")
    return redirect("saved-search-list")


def impact_queue(request):
    """The decisions in force that relied on provisions a revision changed, for legal."""
    items = ImpactItem.objects.visible_to(request.user).listed()
    filterset = ImpactFilterSet(request.GET or {"reviewed": "false"}, queryset=items)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "precedent/impact_queue.html", {"filterset": filterset, "page": page})


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
    asked = GraphAskedSerializer(data=request.GET)
    chosen = asked.validated_data if asked.is_valid() else {"depth": 2}  # the page reads nothing else
    treatments = sorted(chosen.get("treatment") or ())
    graph = citation_graph(decision, seen_by=request.user, depth=chosen["depth"], treatments=treatments)
    context = {
        "decision": decision,
        "graph": graph,
        "depth": chosen["depth"],
        "depths": DEPTHS,
        "treatments": [(value, label, value in treatments) for value, label in Treatment.choices],
        "filtered": bool(treatments),
        "nodes": {node["id"]: node for node in graph["nodes"]},
    }
    return render(request, "precedent/decision_graph.html", context)


def provision_case_law(request, code):
    """A provision's wording beside its case law: the annotated framework."""
    provision = get_visible_or_404(request, Provision.objects.visible_to(request.user), code=code)
    typed = request.GET.get("as_of", "")
    asked = AsOfSerializer(data={"as_of": typed} if typed else {})  # the page reads nothing else
    law = case_law(provision, seen_by=request.user, as_of=asked.validated_data["as_of"] if asked.is_valid() else None)
    cases_record_shown(
        case_ids=[entry.decision.case_id for entry in law.entries], by=request.user, via="a provision's case law"
    )
    errors = asked.errors.get("as_of")
    context = {
        "law": law,
        "as_of_errors": errors,
        "as_of_typed": typed if errors else law.as_of.isoformat(),
        # Each group lists its leading decisions; its count and the summary read them all.
        "shown_per_group": SHOWN_PER_GROUP,
        "minus_shown": -SHOWN_PER_GROUP,
    }
    return render(request, "precedent/provision_case_law.html", context)


def _with_params(request, params: dict) -> str:
    """This page's address with `params` set (a new filter starts again from page one); a
    tag is added to those asked for."""
    query = request.GET.copy()
    query.pop("format", None)
    if "page" not in params:
        query.pop("page", None)
    for name, value in params.items():
        if name == "tag":
            query.setlist(name, [*(v for v in query.getlist(name) if v != value), value])
        else:
            query[name] = value
    return f"?{query.urlencode()}"


def _without(request, name: str, value: str) -> str:
    """This page's address without one filter's value, from page one."""
    query = request.GET.copy()
    for dropped in ("page", "format"):
        query.pop(dropped, None)
    query.setlist(name, [v for v in query.getlist(name) if v != value])
    return f"?{query.urlencode()}"


def digest_page(request):
    """The precedent digest of a month, as the reader may see it, to read or print."""
    typed = request.GET.get("month", "")
    errors = []
    try:
        period = month(typed or None)
    except ValueError as exc:
        errors, period = [str(exc)], month()
    found = digest(seen_by=request.user, start=period.start, end=period.end)
    cases_record_shown(case_ids=[d.case_id for d in found.decisions], by=request.user, via="the precedent digest")
    context = {
        "digest": found,
        "month_errors": errors,
        "month_typed": typed if errors else period.slug,
        "subscribed": DigestSubscription.objects.filter(user=request.user).exists(),
    }
    return render(request, "precedent/digest.html", context)


def digest_pdf(request, slug):
    """The same digest as a PDF, made on the server, to file or pass on as a document."""
    try:
        period = month(slug)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    found = digest(seen_by=request.user, start=period.start, end=period.end)
    cases_record_shown(case_ids=[d.case_id for d in found.decisions], by=request.user, via="the precedent digest")
    html = render_to_string("precedent/digest_pdf.html", {"digest": found}, request=request)
    return pdf_response(html, base_url=request.build_absolute_uri("/"), filename=f"precedent-digest-{period.slug}.pdf")


@require_POST
def digest_subscription(request):
    if request.POST.get("subscribe") == "yes":
        digest_subscribe(by=request.user)
        messages.success(request, "You will receive the digest by e-mail on the first of each month.")
    else:
        digest_unsubscribe(by=request.user)
        messages.success(request, "You will no longer receive the digest by e-mail.")
    return redirect("digest")
