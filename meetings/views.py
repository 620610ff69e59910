"""Views of the meetings app: thin. Objects come through `visible_to` (404 outside scope),
actions are asked of the access module (403), writes go through services."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.forms import add_service_errors, posted
from students.models import Student
from students.selectors import log_read

from . import agenda_forms, clashes, ical, selectors, services
from .forms import AgendaItemForm, AgreementForm, MeetingForm, MinutesForm, ParticipantsForm, SeriesForm
from .models import AgendaItem, Agreement, CalendarFeed, Meeting, MeetingSeries
from .recurrence import local_datetime

PER_PAGE = 30
# The planner saw the clash warning and plans all the same.
CONFIRM_CLASHES = "ondanks_overlap"


def _clashes(request, *, school, day_times, participants, exclude_meetings=()) -> list:
    """Who already has a meeting at one of `day_times` ([(date, start, end)]), at any school,
    before anything is saved; nothing once the planner confirmed (or when the times are
    impossible: the service says so)."""
    if request.POST.get(CONFIRM_CLASHES):
        return []
    slots = [(local_datetime(d, s), local_datetime(d, e)) for d, s, e in day_times if e > s]
    return clashes.participant_clashes(
        school=school, slots=slots, participants=participants, exclude_meetings=exclude_meetings
    )


def _meeting(request, pk, action=None) -> Meeting:
    meeting = selectors.meeting_for_user(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    if action and not access.can(request.user, action, meeting):
        raise PermissionDenied
    return meeting


# --- Lists -----------------------------------------------------------------------------------


@access.school_permission_required("school.list_meetings")
def meeting_list(request):
    """Mijn overleggen: upcoming (or past) meetings."""
    past = request.GET.get("toon") == "eerder"
    meetings = selectors.my_meetings(user=request.user, school=request.school, past=past)
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {"page": page, "past": past, "can_plan": access.can(request.user, "school.plan_meetings", request.school)},
    )


@access.school_permission_required("school.list_meetings")
def agreement_list(request):
    """Mijn afspraken (the coordinator can also see everyone's: ?wie=iedereen)."""
    can_see_all = access.can(request.user, "school.plan_meetings", request.school)
    everyone = can_see_all and request.GET.get("wie") == "iedereen"
    show_done = request.GET.get("status") == "alle"
    agreements = selectors.my_agreements(user=request.user, school=request.school, everyone=everyone)
    if not show_done:
        agreements = agreements.open()
    page = Paginator(agreements, PER_PAGE).get_page(request.GET.get("page"))
    # An agreement about a pupil ("gesprek met ouders over verzuim") is care context.
    log_read(user=request.user, students=[a.student for a in page if a.student_id], section="afspraken")
    return render(
        request,
        "meetings/agreement_list.html",
        {
            "page": page,
            "everyone": everyone,
            "show_done": show_done,
            "can_see_all": can_see_all,
            "today": timezone.localdate(),
        },
    )


# --- Series ------------------------------------------------------------------------------------


@access.school_permission_required("school.plan_meetings")
def series_list(request):
    series = MeetingSeries.objects.filter(school=request.school).select_related("organiser").order_by("title")
    return render(request, "meetings/series_list.html", {"series_list": series})


@access.school_permission_required("school.plan_meetings")
def series_create(request):
    form = SeriesForm(posted(request), school=request.school, initial={"participants": [request.user]})
    preview = None
    found = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            dates, future = services.series_plan_dates(
                school=request.school,
                **{
                    k: data[k]
                    for k in ("weekday", "interval_weeks", "starts_on", "ends_on", "holiday_policy", "start_time")
                },
            )
            found = _clashes(
                request,
                school=request.school,
                day_times=[(d.date, data["start_time"], data["end_time"]) for d in future],
                participants=data["participants"],
            )
            if "preview" in request.POST:
                preview = dates
            elif not found:
                series = services.series_create(school=request.school, actor=request.user, **data)
                messages.success(
                    request, _("De reeks is aangemaakt: %(n)s overleggen gepland.") % {"n": series.meetings.count()}
                )
                return redirect("meetings:series_detail", pk=series.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "meetings/series_form.html", {"form": form, "preview": preview, "clashes": found})


@access.school_permission_required("school.plan_meetings")
def series_detail(request, pk):
    series = get_object_or_404(MeetingSeries.objects.select_related("organiser"), pk=pk, school=request.school)
    form = ParticipantsForm(
        posted(request), school=request.school, initial={"participants": list(series.participants.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.series_set_participants(
                series=series, participants=form.cleaned_data["participants"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De vaste deelnemers zijn opgeslagen voor alle komende overleggen."))
            return redirect("meetings:series_detail", pk=series.pk)
    meetings = series.meetings.order_by("starts_at")
    return render(
        request,
        "meetings/series_detail.html",
        {"series": series, "meetings": meetings, "form": form, "now": timezone.now()},
    )


@require_POST
@access.school_permission_required("school.plan_meetings")
def series_stop(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk, school=request.school)
    count = services.series_stop(series=series, actor=request.user)
    messages.success(request, _("%(n)s komende overleggen zijn geannuleerd.") % {"n": count})
    return redirect("meetings:series_detail", pk=series.pk)


# --- One meeting ---------------------------------------------------------------------------------


@access.school_permission_required("school.plan_meetings")
def meeting_create(request):
    form = MeetingForm(posted(request), school=request.school, initial={"participants": [request.user]})
    found = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = _clashes(
            request,
            school=request.school,
            day_times=[(data["day"], data["start_time"], data["end_time"])],
            participants=data["participants"],
        )
    if request.method == "POST" and form.is_valid() and not found:
        try:
            meeting = services.meeting_create(school=request.school, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland; de deelnemers krijgen een uitnodiging."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "title": _("Nieuw overleg"), "clashes": found})


def _page_context(request, meeting, *, agreement_form=None, agreement_item=None, agenda_form=None):
    manage = access.can(request.user, "meeting.manage", meeting)
    page = selectors.meeting_page(
        user=request.user,
        meeting=meeting,
        manage=manage,
        with_suggestions=not (meeting.is_past or meeting.is_cancelled),
    )
    people = page.participants
    if meeting.organiser_id not in {p.pk for p in people}:
        people = [meeting.organiser, *people]
    agenda_forms.add_item_texts(page.items, meeting_pk=meeting.pk)
    agenda_forms.add_agreement_addresses(
        [a for v in page.items for a in v.agreements] + page.general_agreements + page.carried_over
    )
    general_form_html = suggestion_rows = None
    if manage:
        general_form_html = agenda_forms.add_item_forms(
            request,
            meeting=meeting,
            items=page.items,
            people=people,
            agreement_form=agreement_form,
            agreement_item=agreement_item,
        )
        suggestion_rows = agenda_forms.suggestion_rows(
            request, meeting=meeting, suggestions=page.suggestions[:SUGGESTIONS_SHOWN]
        )
    own_ids = {a.pk for v in page.items for a in v.agreements if a.owner_id == request.user.pk}
    own_ids |= {a.pk for a in page.general_agreements + page.carried_over if a.owner_id == request.user.pk}
    return {
        "meeting": meeting,
        "page": page,
        "manage": manage,
        "general_form_html": general_form_html,
        "agenda_form": agenda_form,
        "own_agreement_ids": own_ids,
        "suggestion_rows": suggestion_rows,
        "suggestions_more": max(len(page.suggestions) - SUGGESTIONS_SHOWN, 0),
        "now": timezone.now(),
    }


# The meeting page shows this many suggestions; the rest are found with the search.
SUGGESTIONS_SHOWN = 15


def _log_reads(request, page, section):
    # The agenda shows pupils with the team's question and minutes, the carried-over
    # agreements name pupils, and the suggestions say why a pupil might be discussed: all a
    # read of care data, logged like the file (one query for all pupils on the page).
    students = [view.item.student for view in page.items]
    students += [a.student for a in page.carried_over if a.student_id]
    students += [s.student for s in page.suggestions[:SUGGESTIONS_SHOWN]]
    log_read(user=request.user, students=students, section=section)


def meeting_detail(request, pk):
    """The meeting: agenda with questions, minutes and agreements; carried-over agreements;
    for the coordinator also suggestions, the pupil search and consent warnings."""
    meeting = _meeting(request, pk)
    context = _page_context(request, meeting)
    _log_reads(request, context["page"], "overleg")
    return render(request, "meetings/meeting_detail.html", context)


def meeting_minutes(request, pk):
    """Printable minutes: decisions and agreements per pupil (same filtering as the page)."""
    meeting = _meeting(request, pk)
    page = selectors.meeting_page(user=request.user, meeting=meeting, manage=False, with_suggestions=False)
    _log_reads(request, page, "overleg verslag")
    return render(request, "meetings/minutes.html", {"meeting": meeting, "page": page, "printed_at": timezone.now()})


def meeting_edit(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    local_start, local_end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    initial = {
        "title": meeting.title,
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": local_end.time(),
        "location": meeting.location,
        "online_link": meeting.online_link,
    }
    form = MeetingForm(posted(request), school=meeting.school, edit=True, initial=initial)
    found = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = _clashes(
            request,
            school=meeting.school,
            day_times=[(data["day"], data["start_time"], data["end_time"])],
            participants=meeting.participants.all(),
            exclude_meetings=[meeting],
        )
    if request.method == "POST" and form.is_valid() and not found:
        try:
            changed = services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Opgeslagen; de deelnemers krijgen een bijgewerkte uitnodiging."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting, "title": _("Overleg wijzigen"), "clashes": found},
    )


@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    services.meeting_cancel(meeting=meeting, actor=request.user)
    messages.success(request, _("Het overleg is geannuleerd; de deelnemers krijgen bericht."))
    return redirect(meeting)


def meeting_participants(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    form = ParticipantsForm(
        posted(request), school=meeting.school, initial={"participants": list(meeting.participants.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_set_participants(
                meeting=meeting, participants=form.cleaned_data["participants"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De deelnemers zijn opgeslagen."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting, "title": _("Deelnemers")})


# --- Agenda, minutes, agreements --------------------------------------------------------------------


@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        student = Student.objects.visible_to(request.user).filter(pk=form.cleaned_data["student"]).first()
        if student is None:
            raise Http404
        try:
            services.agenda_item_add(
                meeting=meeting,
                student=student,
                actor=request.user,
                question=form.cleaned_data["question"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(name)s staat op de agenda.") % {"name": student.full_name})
    return redirect(f"{meeting.get_absolute_url()}#agenda")


def agenda_search(request, pk):
    """htmx: pupils matching the search, each with an "add to the agenda" form."""
    meeting = _meeting(request, pk, "meeting.manage")
    query = request.GET.get("q", "").strip()
    results = selectors.student_search(user=request.user, meeting=meeting, query=query)
    return render(request, "meetings/_search_results.html", {"meeting": meeting, "results": results, "query": query})


def _item(request, pk, item_pk) -> tuple[Meeting, AgendaItem]:
    meeting = _meeting(request, pk, "meeting.manage")
    item = get_object_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("student"), pk=item_pk, meeting=meeting
    )
    return meeting, item


@require_POST
def item_update(request, pk, item_pk):
    meeting, item = _item(request, pk, item_pk)
    form = MinutesForm(request.POST, prefix=f"m{item.pk}")
    saved = form.is_valid()
    if saved:
        services.agenda_item_update(item=item, actor=request.user, **form.cleaned_data)
    if request.htmx:
        # Only this item's form is swapped: text typed in another item stays (issue 17).
        context = {"meeting": meeting, "item": item, "form": form, "saved": saved}
        return render(request, "meetings/_item_minutes.html", context)
    if saved:
        messages.success(request, _("Het verslag bij %(name)s is opgeslagen.") % {"name": item.student.full_name})
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
def item_remove(request, pk, item_pk):
    meeting, item = _item(request, pk, item_pk)
    try:
        services.agenda_item_remove(item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s staat niet meer op de agenda.") % {"name": item.student.full_name})
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@require_POST
def agreement_add(request, pk, item_pk=None):
    if item_pk is not None:
        meeting, item = _item(request, pk, item_pk)
    else:
        meeting, item = _meeting(request, pk, "meeting.manage"), None
    people = list(meeting.participants.all())
    if meeting.organiser_id not in {p.pk for p in people}:
        people.insert(0, meeting.organiser)
    form = AgreementForm(request.POST, people=people, prefix=f"a{item.pk if item else 0}")
    if form.is_valid():
        try:
            services.agreement_create(meeting=meeting, item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De afspraak is vastgelegd."))
            anchor = f"item-{item.pk}" if item else "afspraken"
            return redirect(f"{meeting.get_absolute_url()}#{anchor}")
    context = _page_context(request, meeting, agreement_form=form, agreement_item=item.pk if item else None)
    _log_reads(request, context["page"], "overleg")
    return render(request, "meetings/meeting_detail.html", context, status=200)


@require_POST
def agreement_done(request, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    if not access.can(request.user, "agreement.mark_done", agreement):
        raise PermissionDenied
    if services.agreement_mark_done(agreement=agreement, actor=request.user):
        messages.success(request, _("De afspraak is afgerond."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("meetings:agreement_list")


# --- Calendar feed ------------------------------------------------------------------------------------


def feed_settings(request):
    """The personal calendar feed: make a (new) secret link, or stop the current one."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(user=request.user)
            messages.success(request, _("De agendalink werkt niet meer."))
            return redirect("meetings:feed_settings")
        token = services.feed_create(user=request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("meetings:feed", args=[token])) if token else None
    # webcal:// opens the calendar app's "subscribe" dialog (Outlook, Apple Calendar).
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    return render(request, "meetings/feed_settings.html", {"feed": feed, "feed_url": url, "webcal_url": webcal})


@login_not_required
@cache_control(private=True, no_cache=True)  # keep a copy, but ask (If-None-Match) every time
def feed(request, token):
    """The feed itself: no login (calendar apps cannot log in), the secret token is the key.
    Meetings only: title, time, place and a link; no pupil names."""
    entry = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=services.feed_token_hash(token), user__is_active=True)
        .first()
    )
    if entry is None:
        raise Http404
    user = entry.user
    now = timezone.now()
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(Q(participants=user) | Q(organiser=user))
        .filter(starts_at__gte=now - timezone.timedelta(days=90), starts_at__lte=now + timezone.timedelta(days=400))
        .distinct()
        .select_related("school", "organiser")
        .order_by("starts_at")
    )
    meetings = list(meetings)
    body = ical.feed_ics(meetings, name=_("Carecoord overleggen"))
    # Calendar apps fetch the feed every hour or so: when nothing changed they get a 304.
    # The ETag is the content's hash, so any change (also a meeting leaving the feed) shows.
    etag = quote_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    last_modified = max((m.updated_at for m in meetings), default=entry.created_at)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="overleggen.ics"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return response
