from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404, refusal_on_record
from casebook.choices import AWAITING_DECISION, CONTINUING_OUTCOMES, NEUTRAL_STANCES, CaseStatus, Duty, Outcome
from casebook.models import Case, Citation, Condition, Decision, Headnote, Partner
from casebook.services import case_record_read, cases_record_shown
from casebook.shortcuts import get_case_or_404
from core import versions
from core.forms import add_service_errors, stale_form
from core.pdf import pdf_response
from core.roles import Role
from precedent import citator
from precedent.search import CaseFacts, similar
from principles.models import Revision
from reviews.access import refuse_if_recused
from reviews.discussion import discussion_context
from reviews.forms import (
    AssignmentForm,
    CitationFormSet,
    CommentForm,
    ConditionFormSet,
    ConditionProgressForm,
    DecisionForm,
    EscalationForm,
    HeadnoteFormSet,
    HeadnotesForm,
    OpinionForm,
    ReassessmentForm,
    RecusalForm,
)
from reviews.models import Opinion, Reassessment
from reviews.queues import work_for
from reviews.scrutiny import crossed_red_lines, scrutiny_reasons
from reviews.services import (
    assignment_add,
    assignment_recuse,
    case_reopen,
    case_start_review,
    case_submit,
    case_withdraw,
    comment_add,
    condition_snapshot,
    condition_update,
    decision_check_precedent,
    decision_issue,
    escalation_record,
    headnotes_set,
    headnotes_snapshot,
    opinion_file,
    reassessment_open,
)
from reviews.services.headnotes import check_may_write_headnotes, may_write_headnotes
from reviews.timeline import case_timeline


@require_POST
def case_assign(request, pk):
    case = get_case_or_404(request, pk, reading=False)
    form = AssignmentForm(request.POST, case=case)
    if form.is_valid():
        try:
            assignment = assignment_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{assignment.person.display_name} is assigned.")
    else:
        messages.error(request, "Choose a person and a duty.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_recuse(request, pk):
    case = get_case_or_404(request, pk, reading=False)
    form = RecusalForm(request.POST)
    if form.is_valid():
        assignment_recuse(case=case, by=request.user, statement=form.cleaned_data["statement"])
        messages.success(request, "You are recused from this case.")
    else:
        messages.error(request, "State the conflict of interest to recuse.")
    return redirect("case-detail", pk=case.pk)


def case_opinion(request, pk):
    """An assigned reviewer files or revises their opinion."""
    case = get_case_or_404(request, pk, reading=False)
    mine = case.opinions.filter(author=request.user, decision__isnull=True).first()
    initial = {"recommended_outcome": mine.recommended_outcome, "reasoning": mine.reasoning} if mine else None
    form = OpinionForm(request.POST or None, initial=initial, case=case, proposed=mine.proposed_tags if mine else ())
    if request.method == "POST" and form.is_valid():
        try:
            opinion_file(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Opinion saved. You can revise it until the decision issues.")
            return redirect("case-detail", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "revising": mine is not None,
        "similarity": similar(user=request.user, draft=CaseFacts.of(case)),
    }
    return render(request, "reviews/opinion_form.html", context)


@require_POST
def case_escalate(request, pk):
    case = get_case_or_404(request, pk, reading=False)
    form = EscalationForm(request.POST)
    if form.is_valid():
        try:
            escalation_record(case=case, by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Escalation recorded: the decision may now go beyond declining or terminating.")
    else:
        messages.error(request, "Give the reasons for the escalation.")
    return redirect("case-detail", pk=case.pk)


def case_comment(request, pk):
    """Post a comment. Through htmx the discussion is swapped in place; without it, a
    refused comment comes back on its own page with the error beside the field."""
    case = get_case_or_404(request, pk)
    if request.method == "POST":
        refuse_if_recused(request, case, closed="its discussion is")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_add(case=case, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(request, "reviews/_comments.html", discussion_context(case, request.user))
            return redirect(f"{reverse('case-detail', args=[case.pk])}#comments")
    template = "reviews/_comments.html" if request.htmx else "reviews/comment_form.html"
    return render(request, template, discussion_context(case, request.user, form))


@require_POST
def partner_reassess(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    form = ReassessmentForm(request.POST)
    if form.is_valid():
        try:
            reassessment = reassessment_open(partner=partner, by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Counted as far as the opener may see: need-to-know covers counts too.
            count = reassessment.cases.filter(pk__in=Case.objects.visible_to(request.user)).count()
            messages.success(
                request,
                f"{partner} is under reassessment: {count} live engagement{'s' if count != 1 else ''} reopened.",
            )
            return redirect("partner-detail", pk=partner.pk)
    return render(request, "reviews/reassessment_form.html", {"partner": partner, "form": form})


def home(request):
    """The landing page after sign-in: the person's own work queues."""
    today = timezone.localdate()
    context = {
        "current_revision": Revision.objects.in_force(),
        "work": work_for(request.user, today=today),
        "today": today,
    }
    return render(request, "reviews/home.html", context)


def partner_detail(request, pk):
    """A partner, its cases (as far as the reader may see) and its reassessments."""
    partner = get_object_or_404(Partner, pk=pk)
    visible = Case.objects.visible_to(request.user)
    cases = visible.filter(partner=partner).order_by("-submitted_at", "-id")
    cases_record_shown(case_ids=cases.values_list("pk", flat=True), by=request.user, via="the partner's page")
    context = {
        "partner": partner,
        "cases": cases,
        "reassessments": [
            (reassessment, reassessment.results(visible), reassessment.is_open_for(visible))
            for reassessment in partner.reassessments.select_related("opened_by")
        ],
        "form": ReassessmentForm(),
    }
    return render(request, "reviews/partner_detail.html", context)


def case_detail(request, pk):
    case = get_case_or_404(request, pk)
    current = Revision.objects.in_force()
    current_texts = current.texts_by_code() if current else {}
    tags = [
        {"tag": tag, "revised": not tag.provision_text.same_wording(current_texts.get(tag.provision.code))}
        for tag in case.tags.select_related("provision", "provision_text__revision")
    ]
    visible = Case.objects.visible_to(request.user)
    decisions = case.decisions.select_related(
        "decided_by", "revision", "escalation__by", "superseded_by", "precedent_check"
    ).prefetch_related(
        "conditions",
        Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
        # What it cites, as far as the reader may see: a restricted decision cited exists
        # only for those cleared for it, as it does everywhere else.
        Prefetch(
            "citations",
            queryset=Citation.objects.to_visible(request.user).select_related("cited__case", "provision", "headnote"),
        ),
        Prefetch(
            "cited_by",
            queryset=Citation.objects.from_visible(request.user).select_related(
                "citing__case", "provision", "headnote"
            ),
            to_attr="visible_cited_by",
        ),
        Prefetch(
            "headnotes",
            queryset=Headnote.objects.select_related("provision").prefetch_related(
                Prefetch(
                    "citations",
                    queryset=Citation.objects.from_visible(request.user).select_related("citing__case"),
                    to_attr="visible_treatments",
                )
            ),
        ),
    )
    precedent = citator.statuses(list(decisions), seen_by=request.user)
    for decision in decisions:
        decision.precedent = precedent[decision.pk]
        kept = getattr(decision, "precedent_check", None)
        decision.checked = kept.shown_to(request.user) if kept else None
    assignments = list(case.assignments.select_related("person"))
    mine = [a for a in assignments if a.person_id == request.user.pk and not a.recused_at]
    recused = any(a.person_id == request.user.pk and a.recused_at for a in assignments)
    context = {
        **discussion_context(case, request.user),
        "similarity": similar(user=request.user, draft=CaseFacts.of(case))
        if case.status != CaseStatus.WITHDRAWN
        else None,
        "open_reassessments": Reassessment.objects.filter(partner=case.partner_id)
        .awaiting(visible)
        .select_related("opened_by"),
        "scrutiny": scrutiny_reasons(case),
        "crossed": crossed_red_lines(case),
        "can_escalate": request.user.has_role(Role.ADMIN),
        "writes_headnotes_of": {d.pk for d in decisions if may_write_headnotes(d, request.user)},
        "can_see_opinions": not recused,
        "open_opinions": case.opinions.filter(decision__isnull=True).select_related("author"),
        "my_opinion": case.opinions.filter(decision__isnull=True, author=request.user).exists(),
        "can_opine": case.status in AWAITING_DECISION and any(a.duty == Duty.REVIEWER for a in mine),
        "case": case,
        "tags": tags,
        "decisions": decisions,
        "assignments": assignments,
        "timeline": case_timeline(
            case,
            assignments=assignments,
            decisions=list(decisions),
            opinions_shown=not recused,
        ),
        "assign_form": AssignmentForm(case=case),
        "recusal_form": RecusalForm(),
        "assigned_to_me": bool(mine),
    }
    return render(request, "reviews/case_detail.html", context)


@require_POST
def case_submit_view(request, pk):
    case = get_case_or_404(request, pk)
    with refusal_on_record(request):
        case = case_submit(case=case, by=request.user)
    messages.success(request, f"Submitted as {case.docket}.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_start_review_view(request, pk):
    case = case_start_review(case=get_case_or_404(request, pk), by=request.user)
    messages.success(request, f"{case.docket} is in review.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_reopen_view(request, pk):
    case = get_case_or_404(request, pk)
    try:
        case = case_reopen(case=case, by=request.user, reason=request.POST.get("reason", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{case.docket} is reopened. Put it into review to decide it again.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_withdraw_view(request, pk):
    case = get_case_or_404(request, pk)
    # The page asks first (static/js/confirm.js, or the box to tick without it).
    if not request.POST.get("confirm"):
        messages.error(request, "Nothing was withdrawn: tick the box to confirm it.")
        return redirect("case-detail", pk=case.pk)
    case = case_withdraw(case=case, by=request.user)
    messages.success(request, f"{case.docket or 'The draft'} is withdrawn.")
    return redirect("case-detail", pk=case.pk)


def case_decide(request, pk):
    case = get_case_or_404(request, pk)
    if not case.can("decide"):
        case.decide()  # refuses, saying why
    form = DecisionForm(request.POST or None)
    conditions = ConditionFormSet(request.POST or None, prefix="conditions")
    citations = CitationFormSet(
        request.POST or None,
        prefix="citations",
        form_kwargs={"dockets_url": reverse("case-decide-dockets", args=[case.pk])},
    )
    answer_errors = {}
    issuing = request.method == "POST" and request.POST.get("action") != "check"
    if issuing and not request.POST.get("confirm"):
        form.add_error(None, "Nothing was issued: tick the box to confirm it.")
    if issuing and form.is_valid() and conditions.is_valid() and citations.is_valid():
        try:
            decision_issue(
                case=case,
                by=request.user,
                conditions=[c.cleaned_data for c in conditions if c.cleaned_data],
                citations=_cited_decisions(request, citations),
                answers=_answers(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            answer_errors = _answer_errors(form, exc)
        else:
            messages.success(request, f"The decision on {case.docket} is issued.")
            return redirect("case-detail", pk=case.pk)
    current = Revision.objects.in_force()
    context = {
        "case": case,
        "form": form,
        "conditions": conditions,
        "citations": citations,
        # The workbench beside the draft: what the board has before it.
        "tags": case.tags.exclude(stance__in=NEUTRAL_STANCES).select_related("provision"),
        "opinions": case.opinions.filter(decision__isnull=True).select_related("author").order_by("filed_at"),
        "similarity": similar(user=request.user, draft=CaseFacts.of(case)),
        "provision_codes": list(current.texts_by_code()) if current else [],
        **_check_context(request, case, form, citations, answer_errors),
    }
    return render(request, "reviews/case_decide.html", context)


# The decisions a typeahead offers at once.
OFFERED = 15


def case_decide_dockets(request, pk):
    """The decisions in force the decision-maker may cite whose docket or title holds what
    they have typed, as options of the citation rows' list (htmx swaps them in)."""
    get_case_or_404(request, pk, reading=False)
    typed = next((value for value in request.GET.values() if value), "").strip()[:100]
    decisions = Decision.objects.visible_to(request.user).in_force().select_related("case").order_by("-issued_at")
    if typed:
        decisions = decisions.filter(Q(case__docket__icontains=typed) | Q(case__title__icontains=typed))
    return render(request, "reviews/_docket_options.html", {"decisions": decisions.exclude(case=pk)[:OFFERED]})


@require_POST
def case_decide_check(request, pk):
    """The precedent check of the draft on the decide page, as it stands (htmx swaps it in as
    the decision-maker chooses the outcome and the citations)."""
    case = get_case_or_404(request, pk)
    if not case.can("decide"):
        case.decide()
    form = DecisionForm(request.POST)
    citations = CitationFormSet(request.POST, prefix="citations")
    return render(request, "reviews/_precedent_check.html", _check_context(request, case, form, citations, {}))


def _check_context(request, case, form, citations, errors: dict) -> dict:
    outcome = form.data.get("outcome", "")
    check = decision_check_precedent(
        case=case,
        by=request.user,
        outcome=outcome if outcome in Outcome.values else "",
        citations=_cited_decisions(request, citations) if citations.is_bound and citations.is_valid() else [],
    )
    answers = _answers(request)
    rows = [
        {"authority": a, "answer": answers.get(a.decision.pk, ""), "errors": errors.get(f"answers.{a.decision.pk}", [])}
        for a in check.contrary
    ]
    return {
        "case": case,
        "check": check,
        "contrary_rows": rows,
        "checked": outcome in Outcome.values,
        "goes_ahead": outcome in CONTINUING_OUTCOMES,
    }


def _answers(request) -> dict[int, str]:
    """The decision-maker's answers on the contrary precedents, from fields answer-<decision id>."""
    return {
        int(key.removeprefix("answer-")): value
        for key, value in request.POST.items()
        if key.startswith("answer-") and key.removeprefix("answer-").isdigit()
    }


def _answer_errors(form, exc: ValidationError) -> dict:
    """Show a refusal's errors next to the form's fields, except those on the answers, which
    the precedent check's rows show; returns those."""
    if not hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
        return {}
    errors = exc.message_dict
    answer_errors = {key: messages for key, messages in errors.items() if key.startswith("answers.")}
    rest = {key: messages for key, messages in errors.items() if key not in answer_errors}
    if rest:
        add_service_errors(form, ValidationError(rest))
    if answer_errors:
        form.add_error(
            None,
            "The draft departs from precedent it does not cite: address each contrary precedent below, "
            "by citing it or by saying why it does not apply.",
        )
    return answer_errors


def decision_memo(request, pk):
    """One decision as a memo to print for the partner-facing team."""
    return render(request, "reviews/decision_memo.html", _memo(request, pk))


def decision_memo_pdf(request, pk):
    """The same memo as a PDF, made on the server, with the line to cite it by."""
    context = _memo(request, pk)
    html = render_to_string("reviews/decision_memo_pdf.html", context, request=request)
    filename = f"{context['case'].docket}-{context['decision'].issued_at:%Y-%m-%d}-memo.pdf"
    return pdf_response(html, base_url=request.build_absolute_uri("/"), filename=filename)


def _memo(request, pk) -> dict:
    decisions = Decision.objects.visible_to(request.user).select_related(
        "case__partner", "decided_by", "revision", "supersedes", "superseded_by"
    )
    decision = get_visible_or_404(request, decisions, pk=pk)
    case_record_read(case=decision.case, by=request.user)
    return {
        "decision": decision,
        "case": decision.case,
        "red_lines": decision.case.tags.filter(provision__kind="red_line").select_related(
            "provision", "provision_text"
        ),
        "citations": decision.citations.to_visible(request.user).select_related("cited__case", "provision", "headnote"),
        "headnotes": decision.headnotes.select_related("provision"),
    }


def case_record_pdf(request, pk):
    """A case's record as a PDF for the partner-facing team: its facts, where it stands
    against the framework, and each decision with its holding, conditions and what may be
    shared."""
    case = get_case_or_404(request, pk)
    context = {
        "case": case,
        "user": request.user,
        "printed": timezone.localdate(),
        "tags": case.tags.exclude(stance__in=NEUTRAL_STANCES).select_related("provision", "provision_text"),
        "decisions": case.decisions.select_related("revision", "superseded_by").prefetch_related("conditions"),
    }
    html = render_to_string("reviews/case_record_pdf.html", context, request=request)
    return pdf_response(html, base_url=request.build_absolute_uri("/"), filename=f"{case.docket or 'draft'}-record.pdf")


def decision_headnotes(request, pk):
    """Write a decision's headnotes: its points of law, numbered, each keyed to a provision."""
    decisions = Decision.objects.visible_to(request.user).select_related("case", "revision")
    decision = get_visible_or_404(request, decisions, pk=pk)
    with refusal_on_record(request):
        check_may_write_headnotes(decision, request.user)
    cases_record_shown(case_ids=[decision.case_id], by=request.user, via="a decision's headnotes")
    provisions = [
        (t.provision.code, f"{t.provision.code} {t.title}") for t in decision.revision.texts.select_related("provision")
    ]
    current = headnotes_snapshot(decision)
    initial = [{"provision": h["provision"], "stance": h["stance"], "text": h["text"]} for h in current["headnotes"]]
    form = HeadnotesForm(request.POST or None, snapshot=current)
    rows = HeadnoteFormSet(
        request.POST or None, initial=initial, prefix="headnotes", form_kwargs={"provisions": provisions}
    )
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        written = [row.cleaned_data for row in rows if row.cleaned_data]
        try:
            headnotes_set(decision=decision, by=request.user, headnotes=written, version=versions.seen_version(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            # What the editor wrote stays in the rows; what the other person wrote is shown.
            form = HeadnotesForm(
                {"seen": versions.sign(headnotes_snapshot(decision))}, snapshot=headnotes_snapshot(decision)
            )
            form.is_valid()
            theirs = "; ".join(f"hn {h['number']}: {h['text']}" for h in headnotes_snapshot(decision)["headnotes"])
            form.add_error(
                None,
                "Someone else changed these headnotes while you were editing them, so nothing was saved. "
                f"They now read: {theirs or 'none'}. Check yours below, then save again.",
            )
        else:
            messages.success(request, "Headnotes saved.")
            return redirect(f"{reverse('case-detail', args=[decision.case_id])}#decision-{decision.pk}")
    return render(request, "reviews/decision_headnotes.html", {"decision": decision, "form": form, "rows": rows})


def _cited_decisions(request, citations) -> list[dict]:
    """The citations as the service takes them: a docket names its case's live decision,
    as far as this user may see it (else the service says there is none to cite)."""
    visible = Decision.objects.visible_to(request.user).in_force()
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
    with refusal_on_record(request):
        condition.check_trackable_by(request.user)
    cases_record_shown(case_ids=[condition.decision.case_id], by=request.user, via="a condition")
    form = ConditionProgressForm(request.POST or None, snapshot=condition_snapshot(condition))
    if request.method == "POST" and form.is_valid():
        try:
            condition_update(
                condition=condition, by=request.user, version=versions.seen_version(form), **form.progress()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            current = condition_snapshot(Condition.objects.get(pk=pk))
            form = stale_form(
                lambda data: ConditionProgressForm(data, snapshot=current),
                request.POST,
                seen=versions.seen(form),
                current=current,
                what="condition",
            )
        else:
            messages.success(request, "Progress recorded.")
            return redirect("case-detail", pk=condition.decision.case_id)
    return render(request, "reviews/condition_form.html", {"condition": condition, "form": form})
