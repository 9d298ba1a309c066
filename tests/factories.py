import factory
from django.contrib.auth.models import Group

from casebook.choices import Architecture, DataCategory, ForceProximity, HumanJudgment, MissionArea, PartnerKind
from casebook.models import Partner, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@casebook.invalid")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(user, create, roles, **kwargs):
        if create and roles:
            user.groups.set(Group.objects.filter(name__in=roles))
            user.is_staff = "admin" in roles
            user.save(update_fields=["is_staff"])


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = PartnerKind.DOMESTIC_AGENCY
    country = "United States"
    eligibility_notes = "Accountable to its legislature and courts."


def case_facts(partner, **overrides) -> dict:
    """The facts of a plausible case, as the filing services take them."""
    return {
        "title": "Summarising open-source reporting for cyber defenders",
        "partner": partner,
        "mission_area": MissionArea.CYBER_DEFENSE,
        "proposed_use": "Analysts paste public vulnerability reports and receive summaries for triage.",
        "architecture": Architecture.CLOUD_ONLY,
        "human_judgment": HumanJudgment.HUMAN_DECIDES_EACH,
        "force_proximity": ForceProximity.NONE,
        "restricted": False,
        "data_involved": [DataCategory.OPEN_SOURCE],
        **overrides,
    }


def in_review(case, decider=None, opinions: tuple[str, ...] = ()):
    """Put a submitted case before the board, as an admin would: `decider` (by default the
    persona named "decider") assigned as the accountable decision-maker, and the case into
    review, reopened first if it is decided (a reconsideration). Each outcome in `opinions`
    is recommended by an opinion of another assigned reviewer."""
    from reviews.services import assignment_add, case_reopen, case_start_review, opinion_file

    case.refresh_from_db()
    if case.status == "in_review":
        return case
    admin = UserFactory(username="assigning-admin", roles=["admin"])
    if case.accountable_decision_maker() is None:
        decider = decider or User.objects.get(username="decider")
        assignment_add(case=case, person=decider, duty="decision_maker", by=admin)
    if case.can("reopen"):
        case = case_reopen(case=case, by=None, reason="Reconsideration.")
    case = case_start_review(case=case, by=None)
    for n, outcome in enumerate(opinions, start=1):
        author = UserFactory(username=f"opining-reviewer-{n}", roles=["reviewer"])
        if not case.assignments.filter(person=author).exists():
            assignment_add(case=case, person=author, duty="reviewer", by=admin)
        opinion_file(case=case, by=author, recommended_outcome=outcome, reasoning=f"I recommend {outcome}.")
    return case


def seen(client, path: str) -> str:
    """The version of the record that the edit form at `path` is sent with (core.versions),
    as a browser posts it back."""
    return client.get(path).context["form"]["seen"].value()
