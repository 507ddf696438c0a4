"""Authorization matrix rows for treatment: plans (see beacon/core/tests/matrix.py).

Treatment rules (beacon/treatment/rules.py): anyone who may open the client reads
plans and TOPs; keyworkers (team or caseload), prescribers and managers write recovery
and exit plans; keyworkers, nurses and managers record TOPs; keyworkers and managers
have a caseload and its lists.
"""

from beacon.core.tests.matrix import CLIENT_READERS, MANAGERS, REDIRECT, outcome_for
from beacon.treatment.models import ExitPlan
from beacon.treatment.selectors.journey import episode_on_ost
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ExitPlanStepFactory,
    ModalityFactory,
    PlanActionFactory,
    RecoveryPlanFactory,
    TopFactory,
    TreatmentEpisodeFactory,
)

PLAN_WRITERS = {"keyworker", "prescriber", "manager", "admin"}
TOP_WRITERS = {"keyworker", "nurse", "manager", "admin"}
CASELOAD_HOLDERS = {"keyworker", "manager", "admin"}
# A nurse records TOPs, so opens the list of TOPs due too.
TOPS_DUE_READERS = CASELOAD_HOLDERS | {"nurse"}
EXIT_PLAN_REVIEWERS = {"prescriber", "manager", "admin"}


def samples(base: dict) -> dict:
    """The base client on OST in an open episode (the journey's, if it made one), with a
    recovery plan (a goal and an action), an exit plan (a step) and a start TOP."""
    client = base["client"]
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    if episode is None:
        episode = TreatmentEpisodeFactory(client=client)
    if not episode_on_ost(episode):
        ModalityFactory(episode=episode, ost=True)
    plan = RecoveryPlanFactory(episode=episode)
    action = PlanActionFactory(plan=plan)
    exit_plan = ExitPlan.objects.filter(episode=episode).first() or ExitPlanFactory(episode=episode)
    step = ExitPlanStepFactory(exit_plan=exit_plan)
    top = TopFactory(episode=episode)
    return {
        "top_id": top.pk,
        "plan_id": plan.pk,
        "goal_id": plan.goals.get().pk,
        "action_id": action.pk,
        "step_id": step.pk,
    }


READ = outcome_for(CLIENT_READERS)
WRITE_PLAN = outcome_for(PLAN_WRITERS)
WRITE_TOP = outcome_for(TOP_WRITERS)
CASELOAD = outcome_for(CASELOAD_HOLDERS)

PAGES = {
    "treatment/caseload/": ("GET", CASELOAD),
    # The caseload as a file: managers only (a keyworker reads theirs on the page).
    "treatment/caseload.csv": ("GET", outcome_for(MANAGERS)),
    "treatment/tops-due/": ("GET", outcome_for(TOPS_DUE_READERS)),
    "treatment/tops-due.csv": ("GET", outcome_for(MANAGERS)),
    # The prescriber's worklist list of exit plan reviews due, and its file.
    "treatment/exit-plan-reviews/": ("GET", outcome_for(EXIT_PLAN_REVIEWERS)),
    "treatment/exit-plan-reviews.csv": ("GET", outcome_for(EXIT_PLAN_REVIEWERS)),
    "treatment/ost-without-exit-plan/": ("GET", CASELOAD),
    "treatment/clients/<str:client_number>/plan/": ("GET", READ),
    "treatment/clients/<str:client_number>/plan/new/": ("GET", WRITE_PLAN),
    "treatment/plans/<int:plan_id>/": ("GET", READ),
    "treatment/plans/<int:plan_id>/goals/new/": ("GET", WRITE_PLAN),
    "treatment/plans/<int:plan_id>/goals/<int:goal_id>/achieved/": ("GET", WRITE_PLAN),
    "treatment/plans/<int:plan_id>/actions/new/": ("GET", WRITE_PLAN),
    "treatment/plans/<int:plan_id>/actions/<int:action_id>/done/": ("GET", WRITE_PLAN),
    "treatment/plans/<int:plan_id>/reviews/new/": ("GET", WRITE_PLAN),
    "treatment/clients/<str:client_number>/exit-plan/": ("GET", READ),
    # The sample client already has an exit plan, so writers are sent to it.
    "treatment/clients/<str:client_number>/exit-plan/new/": (
        "GET",
        {**WRITE_PLAN, **dict.fromkeys(PLAN_WRITERS, REDIRECT)},
    ),
    "treatment/clients/<str:client_number>/exit-plan/steps/new/": ("GET", WRITE_PLAN),
    "treatment/clients/<str:client_number>/exit-plan/steps/<int:step_id>/done/": (
        "GET",
        WRITE_PLAN,
    ),
    "treatment/clients/<str:client_number>/exit-plan/reviews/new/": ("GET", WRITE_PLAN),
    "treatment/clients/<str:client_number>/tops/": ("GET", READ),
    "treatment/clients/<str:client_number>/tops/new/": ("GET", WRITE_TOP),
    "treatment/tops/<int:top_id>/edit/": ("GET", WRITE_TOP),
}
API: dict = {}
