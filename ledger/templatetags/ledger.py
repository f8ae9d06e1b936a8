"""The dashboard's outcome figures and duty roll-ups, as one tag the dashboard template includes,
so the dashboard view stays as it is."""

from django import template

from cohorts.terms import TermStatus

from .. import statistics

register = template.Library()


@register.inclusion_tag("dashboard/_ledger.html", takes_context=True)
def ledger_dashboard(context, dashboard):
    """Outcomes per programme and in total (one query); for each batch in its term, the duties'
    roll-up (two queries, none when no batch is in its term)."""
    user = context["request"].user
    current = [row.batch for row in dashboard.batches if row.status == TermStatus.IN_PROGRESS]
    return {
        "outcomes": statistics.outcome_figures(user),
        "current_duties": statistics.current_batches_duties(current, dashboard.on),
    }
