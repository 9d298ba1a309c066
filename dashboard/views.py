"""The dashboard page: the board's figures as charts, each beside its table."""

from django.shortcuts import render

from dashboard.charts import bars, spreads
from dashboard.figures import dashboard


def dashboard_page(request):
    found = dashboard(seen_by=request.user)
    charts = {
        name: bars(getattr(found, name))
        for name in ("caseload", "outcomes", "outcomes_by_mission", "opinions", "conditions", "impact", "flags")
    }
    context = {"found": found, "charts": charts, "spreads": spreads(found.time_to_decision)}
    return render(request, "dashboard/dashboard.html", context)
