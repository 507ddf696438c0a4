"""Pages of service-user voice: surveys (build, publish, new version), answering them
(interview; kiosk, with no sign-in; a one-time link, phone-sized), the analysis and its
CSV, events, and "you said, we did" with its poster.

Records load through selectors (scoped to the user's provider, 404), permissions are
checked (403), writes go through services.py. The kiosk and link pages are public: the
kiosk's cookie or the link's token is their whole authority.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from beacon.clients.rules import clients_visible_to
from beacon.core.audit import Action as AuditAction
from beacon.core.audit import audit_origin, audit_request
from beacon.core.forms import PeriodForm, form_page, form_saved
from beacon.core.middleware import public
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.voice import presenters, selectors, services
from beacon.voice.forms import (
    ActionForm,
    ActionStatusForm,
    AnswersForm,
    EventForm,
    InterviewForm,
    KioskForm,
    LinkForm,
    QuestionForm,
    SurveyForm,
    ThemesForm,
)
from beacon.voice.middleware import KIOSK_COOKIE
from beacon.voice.models import Survey, SurveyStatus

VIEW = "voice.view_surveys"
MANAGE = "voice.manage_surveys"
INTERVIEW = "voice.interview"
IDENTIFY = "voice.identify_client"
ANALYSIS = "voice.view_analysis"
EXPORT = "voice.export_responses"
EXPORT_IDENTIFIED = "voice.export_identified_responses"
TAG = "voice.tag_themes"
VIEW_EVENTS = "voice.view_events"
RECORD_EVENTS = "voice.record_events"
VIEW_ACTIONS = "voice.view_actions"
MANAGE_ACTIONS = "voice.manage_actions"
SMALL_COUNTS = "voice.view_small_counts"


_form_page = form_page  # the one form page of core (core/form.html)


# Surveys ----------------------------------------------------------------------------------


@permission_required(VIEW)
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.surveys_current(provider_id=request.user.provider_id)
    return render(
        request,
        "voice/surveys.html",
        {
            "table": {
                "head": presenters.SURVEY_HEAD,
                "rows": presenters.survey_rows(surveys),
                "id": "surveys",
            },
            "may_manage": user_can(request.user, MANAGE),
            "may_view_events": user_can(request.user, VIEW_EVENTS),
            "may_view_actions": user_can(request.user, "voice.view_actions"),
            "kiosks": list(selectors.kiosks_open(provider_id=request.user.provider_id))
            if user_can(request.user, MANAGE)
            else [],
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    made: list[Survey] = []

    def save(data: dict) -> None:
        made.append(
            services.survey_create(actor=request.user, origin=audit_origin(request), **data)
        )

    if form_saved(request, form, save):
        messages.success(request, "Survey drafted: add its questions, then publish it.")
        return redirect("voice:survey", survey_id=made[0].pk)
    return _form_page(
        request, form=form, title="Build a survey", button="Save", back=reverse("voice:surveys")
    )


@permission_required(VIEW)
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id)
    user = request.user
    return render(
        request,
        "voice/survey.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "may_manage": user_can(user, MANAGE),
            "may_interview": user_can(user, INTERVIEW) and survey.status == SurveyStatus.PUBLISHED,
            "may_link": user_can(user, IDENTIFY) and survey.status == SurveyStatus.PUBLISHED,
            "may_analyse": user_can(user, ANALYSIS),
            "may_export": user_can(user, EXPORT),
            "may_export_identified": not user_can(user, EXPORT)
            and user_can(user, EXPORT_IDENTIFIED),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=MANAGE)
    form = QuestionForm(request.POST or None)

    def save(_data: dict) -> None:
        services.question_add(
            actor=request.user, survey=survey, origin=audit_origin(request), **form.service_data()
        )

    if form_saved(request, form, save):
        messages.success(request, "Question added.")
        return redirect("voice:survey", survey_id=survey.pk)
    return _form_page(
        request,
        form=form,
        title=f"Add a question to {survey.title}",
        button="Add question",
        back=reverse("voice:survey", args=[survey.pk]),
    )


def _survey_change(request: HttpRequest, survey_id: int, service, done: str) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=MANAGE)
    try:
        result = service(actor=request.user, survey=survey, origin=audit_origin(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("voice:survey", survey_id=survey.pk)
    messages.success(request, done)
    return redirect("voice:survey", survey_id=result.pk)


@permission_required(MANAGE)
@require_POST
def survey_publish(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=MANAGE)
    ending = services.kiosks_on_older_versions(survey=survey).count()
    done = "Survey published."
    if ending:
        done += (
            f" {ending} kiosk{'s' if ending != 1 else ''} on the older version "
            f"{'were' if ending != 1 else 'was'} ended: start a kiosk again for this version."
        )
    return _survey_change(request, survey_id, services.survey_publish, done)


@permission_required(MANAGE)
@require_POST
def survey_new_version(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _survey_change(
        request, survey_id, services.survey_new_version, "New version drafted: edit it here."
    )


# Answering --------------------------------------------------------------------------------


@permission_required(INTERVIEW)
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=INTERVIEW)
    if survey.status != SurveyStatus.PUBLISHED:
        raise Http404("This survey is not open for answers")
    may_identify = user_can(request.user, IDENTIFY)
    form = InterviewForm(
        request.POST or None,
        survey=survey,
        may_identify=may_identify,
        initial={"date": timezone.localdate()},
    )

    def save(data: dict) -> None:
        client = None
        number = (data.get("client_number") or "").strip()
        if number:
            client = clients_visible_to(request.user).filter(client_number=number).first()
            if client is None or not user_can(request.user, IDENTIFY, client):
                raise ValidationError({"client_number": "No client with this number you may open"})
        services.response_interview(
            actor=request.user,
            survey=survey,
            date=data["date"],
            answers=form.answers(),
            client=client,
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Response recorded. Thank the person for their time.")
        return redirect("voice:survey", survey_id=survey.pk)
    return _form_page(
        request,
        form=form,
        title=f"Interview: {survey.title}",
        button="Save response",
        intro="Read each question as written and record the person's own answer.",
        back=reverse("voice:survey", args=[survey.pk]),
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def kiosk_start(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Turn this device into a kiosk: the manager is signed out and the device keeps only
    the kiosk's cookie, which opens the kiosk pages and nothing else."""
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=MANAGE)
    form = KioskForm(request.POST or None, sites=selectors.sites_of(provider=request.provider))
    started: list[str] = []

    def save(data: dict) -> None:
        _kiosk, raw = services.kiosk_start(
            actor=request.user, survey=survey, site=data["site"], origin=audit_origin(request)
        )
        started.append(raw)

    if form_saved(request, form, save):
        logout(request)
        response = redirect("voice:kiosk")
        response.set_cookie(
            KIOSK_COOKIE,
            started[0],
            httponly=True,
            samesite="Strict",
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        )
        return response
    return _form_page(
        request,
        form=form,
        title=f"Start a kiosk for {survey.title}",
        button="Start kiosk and sign out",
        intro="This device becomes a kiosk: you are signed out, and it shows this survey and "
        "nothing else until a manager ends the kiosk from the surveys page.",
        back=reverse("voice:survey", args=[survey.pk]),
    )


@permission_required(MANAGE)
@require_POST
def kiosk_end(request: HttpRequest, kiosk_id: int) -> HttpResponse:
    kiosk = selectors.kiosk_get(user=request.user, kiosk_id=kiosk_id)
    services.kiosk_end(actor=request.user, kiosk=kiosk, origin=audit_origin(request))
    messages.success(request, "Kiosk ended.")
    return redirect("voice:surveys")


def _kiosk_or_refuse(request: HttpRequest):
    kiosk = selectors.kiosk_from_token(request.COOKIES.get(KIOSK_COOKIE))
    if kiosk is None:
        raise PermissionDenied("This device is not a kiosk")
    return kiosk


@public
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    kiosk = _kiosk_or_refuse(request)
    form = AnswersForm(request.POST or None, survey=kiosk.survey)

    def save(_data: dict) -> None:
        # No address is passed on: an anonymous response keeps none (H-181).
        services.response_from_kiosk(kiosk=kiosk, answers=form.answers())

    if form_saved(request, form, save):
        return redirect("voice:kiosk_thanks")
    return render(request, "voice/answer.html", {"form": form, "survey": kiosk.survey})


@public
def kiosk_thanks(request: HttpRequest) -> HttpResponse:
    _kiosk_or_refuse(request)
    return render(request, "voice/thanks.html", {"again": reverse("voice:kiosk")})


@permission_required(IDENTIFY)
@require_http_methods(["GET", "POST"])
def link_issue(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=IDENTIFY)
    form = LinkForm(
        request.POST or None,
        initial={"expires_on": timezone.localdate() + timezone.timedelta(days=7)},
    )
    issued: list[str] = []

    def save(data: dict) -> None:
        client = (
            clients_visible_to(request.user).filter(client_number=data["client_number"]).first()
        )
        if client is None or not user_can(request.user, IDENTIFY, client):
            raise ValidationError({"client_number": "No client with this number you may open"})
        _link, raw = services.link_issue(
            actor=request.user,
            survey=survey,
            client=client,
            expires_on=data["expires_on"],
            identified=data["identified"],
            origin=audit_origin(request),
        )
        issued.append(raw)

    if form_saved(request, form, save):
        address = request.build_absolute_uri(reverse("voice:answer", args=[issued[0]]))
        return render(request, "voice/link.html", {"survey": survey, "address": address})
    return _form_page(
        request,
        form=form,
        title=f"Send a link to {survey.title}",
        button="Make the link",
        intro="The link works once, on a phone, without an account.",
        back=reverse("voice:survey", args=[survey.pk]),
    )


@public
@transaction.non_atomic_requests  # the link is marked used in its own transaction (H-181)
@require_http_methods(["GET", "POST"])
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_from_token(token)
    if link is None:
        return render(request, "voice/link_gone.html", status=404)
    form = AnswersForm(request.POST or None, survey=link.survey)

    def save(_data: dict) -> None:
        services.response_from_link(link=link, answers=form.answers())

    if form_saved(request, form, save):
        return render(request, "voice/thanks.html", {"again": None})
    return render(request, "voice/answer.html", {"form": form, "survey": link.survey, "link": link})


# Analysis ---------------------------------------------------------------------------------


@permission_required(ANALYSIS)
def analysis(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=ANALYSIS)
    responses = list(
        selectors.survey_responses(survey=survey, provider_id=request.user.provider_id)
    )
    figures = selectors.survey_figures(survey=survey, responses=responses)
    # Managers see every count; a commissioner none from 1 to 4 (H-282).
    suppress = not user_can(request.user, SMALL_COUNTS)
    sections = [
        presenters.analysis_section(
            item,
            counts=selectors.question_counts(item, suppress=suppress),
            cross_tabs=[
                (label, selectors.cross_tab(question=item.question, responses=responses, by=by))
                for by, label in selectors.CROSS_TABS.items()
            ]
            if item.scale is not None
            else [],
        )
        for item in figures
    ]
    services.voice_viewed(
        actor=request.user, what=f"analysis of {survey}", origin=audit_origin(request)
    )
    return render(
        request,
        "voice/analysis.html",
        {
            "survey": survey,
            "count": len(responses),
            "count_text": presenters.answered_text(len(responses), suppress=suppress),
            "suppressed": suppress,
            "sections": sections,
            "may_export": user_can(request.user, EXPORT),
            "show_texts": user_can(request.user, EXPORT),
            "may_tag": user_can(request.user, TAG),
        },
    )


def _period(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET or None)
    form.is_valid()
    return form


def _asked(form: PeriodForm, name: str):
    return form.cleaned_data.get(name) if form.is_bound and form.is_valid() else None


@permission_required(VIEW)
def responses_download(request: HttpRequest, survey_id: int, kind: str) -> HttpResponse:
    """The responses, one row each (CSV or XLSX), in the period asked (H-190): a manager's
    holds every response, a keyworker's only the identified responses of clients they may
    open."""
    user = request.user
    if not (user_can(user, EXPORT) or user_can(user, EXPORT_IDENTIFIED)):
        raise PermissionDenied
    survey = selectors.survey_get(user=user, survey_id=survey_id)
    form = _period(request)
    responses = selectors.responses_for_export(
        user=user, survey=survey, first=_asked(form, "first"), last=_asked(form, "last")
    )
    which = "responses" if user_can(user, EXPORT) else "identified responses of own clients"
    audit_request(
        request, action=AuditAction.EXPORT, detail=f"{which} to {survey} ({kind.upper()})"
    )
    return presenters.ResponsesExport(survey, responses).response(kind)


def _report(request: HttpRequest, survey_id: int):
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=ANALYSIS)
    form = _period(request)
    today = timezone.localdate()
    first, last = selectors.report_period(
        survey=survey,
        provider_id=request.user.provider_id,
        first=_asked(form, "first"),
        last=_asked(form, "last"),
        today=today,
    )
    report = selectors.consultation_report(
        survey=survey, provider_id=request.user.provider_id, first=first, last=last
    )
    return form, report, presenters.report_context(report, today=today)


@permission_required(ANALYSIS)
def report(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The printable consultation report: responses, each question charted beside its
    table, the events' themes and the actions; no figure of fewer than 5 (H-191)."""
    form, report, context = _report(request, survey_id)
    services.voice_viewed(
        actor=request.user,
        what=f"consultation report of {report.survey}, {report.first} to {report.last}",
        origin=audit_origin(request),
    )
    return render(
        request,
        "voice/report.html",
        {**context, "form": form, "query": request.GET.urlencode()},
    )


@permission_required(ANALYSIS)
def report_pdf(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The consultation report as a PDF (no script: the charts are drawn here as bars)."""
    # Imported here, as reporting does: WeasyPrint needs Pango, and no other page should.
    from weasyprint import CSS, HTML

    _form, report, context = _report(request, survey_id)
    html = render_to_string(
        "voice/report_pdf.html",
        {**context, "provider": request.provider, "made_on": timezone.localdate()},
        request=request,
    )
    audit_request(
        request,
        action=AuditAction.EXPORT,
        detail=f"consultation report of {report.survey}, {report.first} to {report.last} (PDF)",
    )
    stylesheet = CSS(filename=finders.find("voice/report-pdf.css"))
    response = HttpResponse(
        HTML(string=html).write_pdf(stylesheets=[stylesheet]), content_type="application/pdf"
    )
    name = f"{report.survey.key}-v{report.survey.version}-report-{report.first}-to-{report.last}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@permission_required(TAG)
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Free-text answers, each tagged with the themes staff read in it."""
    survey = selectors.survey_get(user=request.user, survey_id=survey_id, permission=TAG)
    form = ThemesForm(request.POST or None)

    def save(data: dict) -> None:
        answer = selectors.text_answer_get(
            user=request.user, survey=survey, answer_id=str(data["answer"])
        )
        services.answer_themes_set(
            actor=request.user,
            answer=answer,
            themes=data["themes"].split(","),
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Themes saved.")
        return redirect("voice:themes", survey_id=survey.pk)
    answers = list(selectors.text_answers(survey=survey, provider_id=request.user.provider_id))
    services.voice_viewed(
        actor=request.user, what=f"free-text answers to {survey}", origin=audit_origin(request)
    )
    return render(
        request,
        "voice/themes.html",
        {"survey": survey, "answers": answers, "form": form},
    )


# Events -----------------------------------------------------------------------------------


@permission_required(VIEW_EVENTS)
def event_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.events_of(provider_id=request.user.provider_id))
    return render(
        request,
        "voice/events.html",
        {
            "page": page,
            "table": {
                "head": presenters.EVENT_HEAD,
                "rows": presenters.event_rows(page),
                "id": "events",
            },
            "may_record": user_can(request.user, RECORD_EVENTS),
        },
    )


@permission_required(VIEW_EVENTS)
def events_download(request: HttpRequest, kind: str) -> HttpResponse:
    events = selectors.events_of(provider_id=request.user.provider_id)
    audit_request(
        request, action=AuditAction.EXPORT, detail=f"focus groups and events ({kind.upper()})"
    )
    return presenters.EventsExport(events).response(kind)


@permission_required(RECORD_EVENTS)
@require_http_methods(["GET", "POST"])
def event_record(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    made: list = []

    def save(data: dict) -> None:
        made.append(
            services.event_record(actor=request.user, data=data, origin=audit_origin(request))
        )

    if form_saved(request, form, save):
        messages.success(request, "Event recorded.")
        return redirect("voice:event", event_id=made[0].pk)
    return _form_page(
        request,
        form=form,
        title="Record an event",
        button="Save event",
        back=reverse("voice:events"),
    )


@permission_required(VIEW_EVENTS)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    return render(
        request,
        "voice/event.html",
        {
            "event": event,
            "summary": presenters.event_summary(
                event, with_notes=user_can(request.user, "voice.view_event_notes")
            ),
            "actions": {
                "head": presenters.ACTION_HEAD,
                "rows": presenters.action_rows(event.actions.all(), today=timezone.localdate()),
            },
            "may_act": user_can(request.user, MANAGE_ACTIONS),
        },
    )


# You said, we did -------------------------------------------------------------------------


@permission_required(VIEW_ACTIONS)
def action_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    provider_id = request.user.provider_id
    page = paginate(request, selectors.actions_of(provider_id=provider_id))
    overdue = list(selectors.actions_overdue(provider_id=provider_id, today=today))
    return render(
        request,
        "voice/actions.html",
        {
            "page": page,
            "table": {
                "head": presenters.ACTION_HEAD,
                "rows": presenters.action_rows(page, today=today),
                "id": "actions",
            },
            "overdue": {
                "head": presenters.ACTION_HEAD,
                "rows": presenters.action_rows(overdue, today=today),
                "id": "overdue",
            },
            "may_manage": user_can(request.user, MANAGE_ACTIONS),
        },
    )


@permission_required(VIEW_ACTIONS)
def actions_download(request: HttpRequest, kind: str) -> HttpResponse:
    actions = selectors.actions_of(provider_id=request.user.provider_id)
    audit_request(
        request, action=AuditAction.EXPORT, detail=f"you said, we did actions ({kind.upper()})"
    )
    return presenters.ActionsExport(actions, today=timezone.localdate()).response(kind)


@permission_required(MANAGE_ACTIONS)
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    provider_id = request.user.provider_id
    initial = {}
    if request.GET.get("event", "").isdigit():
        initial["event"] = request.GET["event"]
    form = ActionForm(
        request.POST or None,
        initial=initial,
        staff=selectors.staff_of(provider=request.provider),
        events=selectors.events_of(provider_id=provider_id),
        surveys=selectors.surveys_of(provider_id=provider_id),
    )

    def save(data: dict) -> None:
        services.action_create(actor=request.user, data=data, origin=audit_origin(request))

    if form_saved(request, form, save):
        messages.success(request, "Action recorded.")
        return redirect("voice:actions")
    return _form_page(
        request,
        form=form,
        title="You said, we will: record an action",
        button="Save action",
        back=reverse("voice:actions"),
    )


@permission_required(VIEW_ACTIONS)
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, voice_action_id: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, action_id=voice_action_id)
    may_manage = user_can(request.user, MANAGE_ACTIONS)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})

    def save(data: dict) -> None:
        services.action_move(
            actor=request.user, action=action, status=data["status"], origin=audit_origin(request)
        )

    if may_manage and form_saved(request, form, save):
        messages.success(request, "Status saved.")
        return redirect("voice:action", voice_action_id=action.pk)
    return render(
        request,
        "voice/action.html",
        {
            "action": action,
            "table": {
                "head": presenters.ACTION_HEAD,
                "rows": presenters.action_rows([action], today=timezone.localdate()),
            },
            "form": form if may_manage else None,
        },
    )


@permission_required(VIEW_ACTIONS)
def poster(request: HttpRequest) -> HttpResponse:
    """The printable "you said, we did" poster of completed actions."""
    actions = selectors.actions_completed(provider_id=request.user.provider_id)[:12]
    return render(request, "voice/poster.html", {"actions": actions})
