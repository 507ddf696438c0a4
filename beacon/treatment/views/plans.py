"""Pages for recovery plans, exit plans and TOPs, and the lists of what is due.

Each page loads the client through the user's provider and checks the treatment rule
against that client; opening a page about a client is written to the audit log.
"""

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients.models import Client
from beacon.clients.selectors import client_get
from beacon.clients.services import client_record_viewed
from beacon.core.audit import Action, audit_record
from beacon.core.forms import form_saved
from beacon.core.pagination import paginate
from beacon.core.permissions import is_manager, permission_required
from beacon.treatment.forms.plans import (
    ActionForm,
    CaseloadFilterForm,
    DoneForm,
    ExitPlanForm,
    ExitPlanStepForm,
    GoalForm,
    ListSearchForm,
    RecoveryPlanForm,
    ReviewForm,
    TopForm,
)
from beacon.treatment.selectors import caseload as due
from beacon.treatment.selectors import plans as selectors
from beacon.treatment.selectors.journey import episode_on_ost, open_episode
from beacon.treatment.services import outcomes as outcome_services
from beacon.treatment.services import plans as services

VIEW = "treatment.view_journey"
RECORD_PLAN = "treatment.record_plan"
RECORD_TOP = "treatment.record_top"
CASELOAD = "treatment.view_caseload"


def _client(request: HttpRequest, client_number: str, permission: str) -> Client:
    return client_get(user=request.user, client_number=client_number, permission=permission)


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    # A page about one client shows their record, so opening it is a read.
    if request.method == "GET":
        client_record_viewed(actor=request.user, client=client, request=request, what=what)


def _list_viewed(request: HttpRequest, what: str, count: int) -> None:
    # Lists name clients; like a search, the entry records the list and its size.
    audit_record(
        actor=request.user, action=Action.VIEW, detail=f"{what}, {count} shown", request=request
    )


def _form_page(request: HttpRequest, client: Client, form: Form, **context) -> HttpResponse:
    return render(request, "treatment/plans/form.html", {"client": client, "form": form, **context})


# Recovery plans


def _done_page(request, *, client, item, field, noun, verb, mark, back, viewed, quote, cancel):
    """Mark a goal achieved, or an action or a reduction done, on a date (once): `mark(day)`
    calls the service; `back` is where to go after."""
    if getattr(item, field):
        messages.info(request, f"This {noun} is already marked {verb}.")
        return back
    form = DoneForm(request.POST or None, label=f"Date {verb}")
    if form_saved(request, form, lambda data: mark(data["done_on"])):
        messages.success(request, f"{noun.capitalize()} marked {verb}.")
        return back
    _viewed(request, client, viewed)
    return _form_page(
        request,
        client,
        form,
        title=f"Mark {services.with_article(noun)} {verb}",
        quote=quote,
        submit_text=f"Mark {verb}",
        cancel=cancel,
    )


def _plan_page(request, client, plan, *, is_current: bool) -> HttpResponse:
    earlier = selectors.client_recovery_plans(client=client)
    if plan:
        earlier = earlier.exclude(pk=plan.pk)
    return render(
        request,
        "treatment/plans/plan.html",
        {
            "client": client,
            "plan": plan,
            "is_current": is_current,
            "earlier": earlier,
            "episode": open_episode(client=client),
            "today": timezone.localdate(),
        },
    )


@permission_required(VIEW)
def plan_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, VIEW)
    _viewed(request, client, "recovery plan")
    plan = selectors.current_recovery_plan(client=client)
    return _plan_page(request, client, plan, is_current=plan is not None)


@permission_required(VIEW)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.recovery_plan_get(user=request.user, plan_id=plan_id)
    _viewed(request, plan.client, f"recovery plan {plan.pk}")
    return _plan_page(
        request, plan.client, plan, is_current=selectors.recovery_plan_is_current(plan)
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, RECORD_PLAN)
    episode = open_episode(client=client)
    form = RecoveryPlanForm(request.POST or None, initial={"agreed_on": timezone.localdate()})

    def save(data):
        services.recovery_plan_create(
            actor=request.user,
            episode=episode,
            data=form.plan_data(),
            goals=form.goals(),
            actions=form.actions(),
            request=request,
        )

    if episode and form_saved(request, form, save):
        messages.success(request, "Recovery plan saved.")
        return redirect("treatment:plan", client_number=client.client_number)
    _viewed(request, client, "new recovery plan form")
    return render(
        request,
        "treatment/plans/plan_form.html",
        {"client": client, "form": form, "episode": episode},
    )


def _plan_to_change(request: HttpRequest, plan_id: int):
    return selectors.recovery_plan_get(user=request.user, plan_id=plan_id, permission=RECORD_PLAN)


def _back_to_plan(plan) -> HttpResponse:
    return redirect("treatment:plan_detail", plan_id=plan.pk)


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_change(request, plan_id)
    form = GoalForm(request.POST or None)

    def save(data):
        services.plan_goal_add(actor=request.user, plan=plan, data=data, request=request)

    if form_saved(request, form, save):
        messages.success(request, "Goal added.")
        return _back_to_plan(plan)
    _viewed(request, plan.client, f"recovery plan {plan.pk}: new goal form")
    return _form_page(
        request,
        plan.client,
        form,
        title="Add a goal",
        submit_text="Add goal",
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_goal_achieved(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = _plan_to_change(request, plan_id)
    goal = get_object_or_404(plan.goals.all(), pk=goal_id)
    return _done_page(
        request,
        client=plan.client,
        item=goal,
        field="achieved_on",
        noun="goal",
        verb="achieved",
        mark=lambda day: services.plan_goal_achieved(
            actor=request.user, goal=goal, achieved_on=day, request=request
        ),
        back=_back_to_plan(plan),
        viewed=f"recovery plan {plan.pk}: goal {goal.pk}",
        quote=goal.text,
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_action_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_change(request, plan_id)
    form = ActionForm(request.POST or None, plan=plan)

    def save(data):
        services.plan_action_add(actor=request.user, plan=plan, data=data, request=request)

    if form_saved(request, form, save):
        messages.success(request, "Action added.")
        return _back_to_plan(plan)
    _viewed(request, plan.client, f"recovery plan {plan.pk}: new action form")
    return _form_page(
        request,
        plan.client,
        form,
        title="Add an action",
        submit_text="Add action",
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_action_done(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _plan_to_change(request, plan_id)
    action = get_object_or_404(plan.actions.all(), pk=action_id)
    return _done_page(
        request,
        client=plan.client,
        item=action,
        field="done_on",
        noun="action",
        verb="done",
        mark=lambda day: services.plan_action_done(
            actor=request.user, action=action, done_on=day, request=request
        ),
        back=_back_to_plan(plan),
        viewed=f"recovery plan {plan.pk}: action {action.pk}",
        quote=action.text,
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_review_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_change(request, plan_id)
    form = ReviewForm(request.POST or None)

    def save(data):
        services.plan_review_record(actor=request.user, plan=plan, data=data, request=request)

    if form_saved(request, form, save):
        messages.success(request, "Review saved.")
        return _back_to_plan(plan)
    _viewed(request, plan.client, f"recovery plan {plan.pk}: review form")
    return _form_page(
        request,
        plan.client,
        form,
        title="Review the recovery plan",
        intro=f"The review was due on {plan.next_review_date:%d/%m/%Y}. The next review "
        "date you give becomes the plan's.",
        submit_text="Save review",
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


# Exit plans


def _exit_plan_context(client: Client) -> dict:
    episode = open_episode(client=client)
    return {
        "client": client,
        "episode": episode,
        "on_ost": bool(episode and episode_on_ost(episode)),
        "exit_plan": selectors.exit_plan_for(episode=episode),
    }


@permission_required(VIEW)
def exit_plan_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, VIEW)
    _viewed(request, client, "exit plan")
    context = _exit_plan_context(client)
    return render(
        request,
        "treatment/plans/exit_plan.html",
        {**context, "today": timezone.localdate()},
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, RECORD_PLAN)
    context = _exit_plan_context(client)
    if context["exit_plan"]:
        messages.info(request, f"{client.known_as} already has an exit plan: review it here.")
        return redirect("treatment:exit_plan", client_number=client.client_number)
    form = ExitPlanForm(request.POST or None, initial={"agreed_on": timezone.localdate()})

    def save(data):
        services.exit_plan_create(
            actor=request.user,
            episode=context["episode"],
            data=form.plan_data(),
            steps=form.steps(),
            request=request,
        )

    if context["on_ost"] and form_saved(request, form, save):
        messages.success(request, "Exit plan saved.")
        return redirect("treatment:exit_plan", client_number=client.client_number)
    _viewed(request, client, "new exit plan form")
    return render(request, "treatment/plans/exit_plan_form.html", {**context, "form": form})


def _exit_plan_to_change(request: HttpRequest, client_number: str):
    client = _client(request, client_number, RECORD_PLAN)
    return client, selectors.exit_plan_for(episode=open_episode(client=client))


def _no_exit_plan(request: HttpRequest, client: Client) -> HttpResponse:
    messages.info(request, f"{client.known_as} has no exit plan in this episode yet.")
    return redirect("treatment:exit_plan", client_number=client.client_number)


def _back_to_exit_plan(client: Client) -> HttpResponse:
    return redirect("treatment:exit_plan", client_number=client.client_number)


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_step_add(request: HttpRequest, client_number: str) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    form = ExitPlanStepForm(request.POST or None)

    def save(data):
        services.exit_plan_step_add(
            actor=request.user, exit_plan=exit_plan, data=data, request=request
        )

    if form_saved(request, form, save):
        messages.success(request, "Reduction step added.")
        return _back_to_exit_plan(client)
    _viewed(request, client, "exit plan: new reduction step form")
    return _form_page(
        request,
        client,
        form,
        title="Add a reduction step",
        submit_text="Add step",
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_step_done(request: HttpRequest, client_number: str, step_id: int) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    step = get_object_or_404(exit_plan.steps.all(), pk=step_id)
    return _done_page(
        request,
        client=client,
        item=step,
        field="done_on",
        noun="reduction",
        verb="done",
        mark=lambda day: services.exit_plan_step_done(
            actor=request.user, step=step, done_on=day, request=request
        ),
        back=_back_to_exit_plan(client),
        viewed=f"exit plan: reduction step {step.pk}",
        quote=step.description,
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_review_add(request: HttpRequest, client_number: str) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    form = ReviewForm(request.POST or None)

    def save(data):
        services.exit_plan_review_record(
            actor=request.user, exit_plan=exit_plan, data=data, request=request
        )

    if form_saved(request, form, save):
        messages.success(request, "Exit plan review saved.")
        return _back_to_exit_plan(client)
    _viewed(request, client, "exit plan: review form")
    return _form_page(
        request,
        client,
        form,
        title="Review the exit plan",
        intro=f"The review was due on {exit_plan.next_review_date:%d/%m/%Y}. The next review "
        "date you give becomes the plan's.",
        submit_text="Save review",
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


# Treatment Outcomes Profiles


@permission_required(VIEW)
def tops_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, VIEW)
    _viewed(request, client, "TOPs")
    return render(
        request,
        "treatment/plans/tops.html",
        {"client": client, "tops": selectors.client_tops(client=client)},
    )


@permission_required(RECORD_TOP)
@require_http_methods(["GET", "POST"])
def top_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number, RECORD_TOP)
    episode = selectors.episode_for_top(client=client)
    form = TopForm(request.POST or None, initial={"completed_on": timezone.localdate()})

    def save(data):
        outcome_services.top_record(actor=request.user, episode=episode, data=data, request=request)

    if episode and form_saved(request, form, save):
        messages.success(request, "TOP saved.")
        return redirect("treatment:tops", client_number=client.client_number)
    _viewed(request, client, "new TOP form")
    return render(
        request,
        "treatment/plans/top_form.html",
        {"client": client, "form": form, "episode": episode},
    )


@permission_required(RECORD_TOP)
@require_http_methods(["GET", "POST"])
def top_edit(request: HttpRequest, top_id: int) -> HttpResponse:
    top = selectors.top_get(user=request.user, top_id=top_id, permission=RECORD_TOP)
    client = top.client
    initial = {name: getattr(top, name) for name in outcome_services.TOP_FIELDS}
    title = f"Change TOP of {top.completed_on:%d/%m/%Y}"  # as saved, before any change
    form = TopForm(request.POST or None, initial=initial)

    def save(data):
        outcome_services.top_update(actor=request.user, top=top, data=data, request=request)

    if form_saved(request, form, save):
        messages.success(request, "TOP saved.")
        return redirect("treatment:tops", client_number=client.client_number)
    _viewed(request, client, f"TOP {top.pk}")
    return render(
        request,
        "treatment/plans/top_form.html",
        {
            "client": client,
            "form": form,
            "episode": top.episode,
            "title": title,
        },
    )


# Lists of what is due


def _search(request: HttpRequest) -> tuple[ListSearchForm, str]:
    form = ListSearchForm(request.GET or None)
    return form, (form.cleaned_data["q"] if form.is_valid() else "")


@permission_required(CASELOAD)
def tops_due_page(request: HttpRequest) -> HttpResponse:
    form, query = _search(request)
    today = timezone.localdate()
    page = paginate(request, due.tops_due_list(user=request.user, today=today, query=query))
    _list_viewed(request, "TOPs due list", len(page.object_list))
    return render(
        request,
        "treatment/plans/tops_due.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "today": today,
            "lookahead": due.TOPS_DUE_LOOKAHEAD_DAYS,
        },
    )


@permission_required(CASELOAD)
def ost_without_exit_plan_page(request: HttpRequest) -> HttpResponse:
    form, query = _search(request)
    today = timezone.localdate()
    page = paginate(
        request,
        selectors.ost_clients_needing_exit_plan(user=request.user, today=today, query=query),
    )
    _list_viewed(request, "OST clients needing an exit plan", len(page.object_list))
    return render(
        request,
        "treatment/plans/ost_without_exit_plan.html",
        {"form": form, "page": page, "query": query, "today": today},
    )


@permission_required(CASELOAD)
def caseload_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    filter_form, keyworker = None, None
    if is_manager(user):
        filter_form = CaseloadFilterForm(
            request.GET or None, keyworkers=due.caseload_keyworkers(provider=request.provider)
        )
        keyworker = filter_form.cleaned_data["keyworker"] if filter_form.is_valid() else None
    clients = due.caseload_clients(user=user, keyworker=keyworker)
    caseload = due.caseload_due(clients=clients, today=timezone.localdate())
    _list_viewed(request, "caseload", len({item.client.pk for item in caseload.items}))
    return render(
        request,
        "treatment/plans/caseload.html",
        {"caseload": caseload, "filter_form": filter_form, "keyworker": keyworker},
    )


urlpatterns = [
    path("caseload/", caseload_page, name="caseload"),
    path("tops-due/", tops_due_page, name="tops_due"),
    path("ost-without-exit-plan/", ost_without_exit_plan_page, name="ost_without_exit_plan"),
    path("clients/<str:client_number>/plan/", plan_page, name="plan"),
    path("clients/<str:client_number>/plan/new/", plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/goals/new/", plan_goal_add, name="plan_goal_add"),
    path(
        "plans/<int:plan_id>/goals/<int:goal_id>/achieved/",
        plan_goal_achieved,
        name="plan_goal_achieved",
    ),
    path("plans/<int:plan_id>/actions/new/", plan_action_add, name="plan_action_add"),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/done/",
        plan_action_done,
        name="plan_action_done",
    ),
    path("plans/<int:plan_id>/reviews/new/", plan_review_add, name="plan_review_add"),
    path("clients/<str:client_number>/exit-plan/", exit_plan_page, name="exit_plan"),
    path("clients/<str:client_number>/exit-plan/new/", exit_plan_create, name="exit_plan_create"),
    path(
        "clients/<str:client_number>/exit-plan/steps/new/",
        exit_plan_step_add,
        name="exit_plan_step_add",
    ),
    path(
        "clients/<str:client_number>/exit-plan/steps/<int:step_id>/done/",
        exit_plan_step_done,
        name="exit_plan_step_done",
    ),
    path(
        "clients/<str:client_number>/exit-plan/reviews/new/",
        exit_plan_review_add,
        name="exit_plan_review_add",
    ),
    path("clients/<str:client_number>/tops/", tops_page, name="tops"),
    path("clients/<str:client_number>/tops/new/", top_create, name="top_create"),
    path("tops/<int:top_id>/edit/", top_edit, name="top_edit"),
]
