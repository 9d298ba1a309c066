"""The rules that raise the bar for a decision: heightened scrutiny and the red-line gate."""

from casebook.choices import ForceProximity, Outcome, Stance
from casebook.models import Case

# Heightened scrutiny wants this many opinions, from distinct reviewers, before a decision.
HEIGHTENED_OPINIONS = 2
# A case that crosses a red line ends only in these, unless an admin escalates it.
RED_LINE_OUTCOMES = {Outcome.DECLINED, Outcome.TERMINATED}


def scrutiny_reasons(case: Case) -> list[str]:
    """Why heightened scrutiny applies to a case; none if it does not. It applies when a
    red line is tagged implicated or crossed, or force is near (the source documents'
    targeting-related uses)."""
    reasons = [
        f"{tag.provision.code} is tagged {tag.get_stance_display().lower()}"
        for tag in case.tags.filter(
            provision__kind="red_line", stance__in=[Stance.IMPLICATED_MITIGATED, Stance.CROSSED]
        ).select_related("provision")
    ]
    if case.force_proximity in (ForceProximity.INDIRECT, ForceProximity.DIRECT_TARGETING):
        reasons.append(f"its proximity to the use of force is {case.get_force_proximity_display().lower()}")
    return reasons


def crossed_red_lines(case: Case) -> list[str]:
    return list(
        case.tags.filter(provision__kind="red_line", stance=Stance.CROSSED).values_list("provision__code", flat=True)
    )
