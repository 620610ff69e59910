"""Views of the daily point card: set-up on the placement, the teacher's scoring screen,
the coach's day view (check-in, check-out), the paper card, the graphs and the print."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.forms import add_service_errors, posted
from referrals.models import Facility, LessonHour, Placement
from students.selectors import log_read

from . import forms, selectors, services
from .models import Card, Expectation, PeriodStatus


def _day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise Http404 from None


def _card_to_score(request, pk) -> Card:
    """A card for the scoring screen: any staff member of the school (404 for outsiders
    and partners, and once the placement has ended)."""
    card = get_object_or_404(
        Card.objects.visible_to(request.user)
        .select_related("student__school_class", "placement__facility")
        .prefetch_related("periods", "expectations"),
        pk=pk,
    )
    if not access.can(request.user, "card.score", card):
        raise PermissionDenied
    return card


def _card_of_placement(request, pk) -> Card:
    """A card through its placement's own rule (coordinator, coach, partner with consent)."""
    placement = get_object_or_404(Placement.objects.visible_to(request.user), pk=pk)
    return get_object_or_404(
        Card.objects.select_related("student__school_class", "placement__facility"), placement=placement
    )


def _expectations(card: Card) -> list[Expectation]:
    return [e for e in card.expectations.all() if e.retired_on is None]


# --- set-up on the placement ---------------------------------------------------------------


def card_edit(request, pk):
    """The card on the placement plan: expectations, scored lesson hours, goal, start."""
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("student", "facility"), pk=pk
    )
    if not access.can(request.user, "card.manage", placement):
        raise PermissionDenied
    log_read(user=request.user, students=[placement.student], section="puntenkaart")
    card = Card.objects.filter(placement=placement).first()
    hours = list(LessonHour.objects.filter(school_id=placement.school_id).order_by("number"))
    initial = {"start_on": max(placement.start_on, timezone.localdate())}
    if card is not None:
        initial = {
            "goal_percent": card.goal_percent,
            "start_on": card.start_on,
            "periods": [f"{p.weekday}-{p.hour}" for p in card.periods.all()],
            **{f"expectation_{n}": e.text for n, e in enumerate(_expectations(card), start=1)},
        }
    form = forms.CardForm(posted(request), initial=initial, hours=hours)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            card = services.card_save(
                placement=placement,
                actor=request.user,
                expectations=form.expectations(),
                periods=form.period_pairs(),
                goal_percent=data["goal_percent"],
                start_on=data["start_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De puntenkaart is opgeslagen."))
            return redirect(card)
    return render(
        request,
        "cico/card_edit.html",
        {
            "form": form,
            "placement": placement,
            "title": _("Puntenkaart instellen") if card is None else _("Puntenkaart wijzigen"),
            "crumbs": [(placement.student.full_name, placement.get_absolute_url())],
        },
    )


# --- the teacher's scoring screen ----------------------------------------------------------


def card_list(request):
    """The pupils of this school with a card: name and class, to open their scoring screen."""
    if request.school is None or not access.can(request.user, "school.score_cards", request.school):
        raise PermissionDenied
    cards = list(
        Card.objects.visible_to(request.user)
        .filter(school=request.school)
        .select_related("student__school_class")
        .order_by("student__school_class__name", "student__last_name", "student__first_name")
    )
    log_read(user=request.user, students=[c.student for c in cards], section="puntenkaarten")
    return render(request, "cico/card_list.html", {"cards": cards, "today": timezone.localdate()})


def _current_hour(card: Card, hours: list[int]) -> int | None:
    now = timezone.localtime().time()
    timetable = LessonHour.objects.filter(school_id=card.school_id, number__in=hours).order_by("number")
    for lesson in timetable:
        if now < lesson.ends_at:
            return lesson.number
    return hours[-1] if hours else None


def score(request, pk, day):
    """One screen per pupil per lesson, for a phone: the expectations with 0, 1, 2."""
    card = _card_to_score(request, pk)
    the_day = _day(day)
    hours = services.card_hours_on(card, the_day)
    hour_value = request.POST.get("hour") or request.GET.get("uur") or ""
    hour = int(hour_value) if hour_value.isdigit() else _current_hour(card, hours)
    expectations = _expectations(card)
    form = forms.ScoreForm(posted(request), expectations=expectations)
    log_read(user=request.user, students=[card.student], section="puntenkaart scoren")
    if request.method == "POST" and form.is_valid():
        try:
            saved, replaced = services.period_score(
                card=card,
                day=the_day,
                hour=hour or 0,
                actor=request.user,
                status=form.cleaned_data["status"],
                points=form.points(),
                remark=form.cleaned_data["remark"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("Lesuur %(hour)s van %(name)s is opgeslagen.") % {
                "hour": saved.hour,
                "name": card.student.full_name,
            }
            if replaced is not None and replaced.scored_by_id != request.user.pk:
                text += " " + _(
                    "Het was al gescoord om %(time)s; jouw score geldt nu (beide staan in de geschiedenis)."
                ) % {"time": time_format(timezone.localtime(replaced.scored_at), "H:i")}
            messages.success(request, text)
            return redirect(f"{reverse('cico:score', args=[card.pk, day])}?uur={saved.hour}")
    # The page: the day's hours with what is scored, the chosen hour's scores to change.
    card_day = card.days.filter(day=the_day).first()
    scores = {s.hour: s for s in card_day.scores.select_related("scored_by")} if card_day else {}
    existing = scores.get(hour)
    if existing is not None and request.method != "POST":
        initial = {"status": existing.status, "remark": existing.remark}
        initial.update({f"e{key}": value for key, value in existing.points.items()})
        form = forms.ScoreForm(initial=initial, expectations=expectations)
    return render(
        request,
        "cico/score.html",
        {
            "card": card,
            "day": the_day,
            "hours": hours,
            "hour": hour,
            "scores": scores,
            "existing": existing,
            "form": form,
            "card_day": card_day,
            "is_today": the_day == timezone.localdate(),
            "statuses": PeriodStatus,
            "can_correct": access.can(request.user, "card.correct", card),
        },
    )


# --- the coach: day view, check-in, check-out, paper card ------------------------------------


def facility_day(request, pk):
    """All cards of the facility for one day: check-in (yesterday's result), the hours
    scored and still open, the percentage against the goal, check-out with a conclusion."""
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    if not access.can(request.user, "facility.cico_day", facility):
        raise PermissionDenied
    day_value = request.GET.get("dag", "")
    the_day = _day(day_value) if day_value else timezone.localdate()
    rows = selectors.facility_day(facility=facility, day=the_day)
    log_read(user=request.user, students=[r.card.student for r in rows], section="puntenkaarten dag")
    return render(
        request,
        "cico/facility_day.html",
        {"facility": facility, "day": the_day, "rows": rows, "today": timezone.localdate()},
    )


def _card_to_correct(request, pk) -> Card:
    card = _card_to_score(request, pk)
    if not access.can(request.user, "card.correct", card):
        raise PermissionDenied
    return card


def _back_to_day(card, the_day):
    return redirect(f"{reverse('cico:facility_day', args=[card.placement.facility_id])}?dag={the_day:%Y-%m-%d}")


@require_POST
def day_check_in(request, pk, day):
    card = _card_to_correct(request, pk)
    the_day = _day(day)
    try:
        services.day_check_in(card=card, day=the_day, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is ingecheckt.") % {"name": card.student.full_name})
    return _back_to_day(card, the_day)


@require_POST
def day_check_out(request, pk, day):
    card = _card_to_correct(request, pk)
    the_day = _day(day)
    form = forms.CheckOutForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["conclusion"])
        services.day_check_out(card=card, day=the_day, actor=request.user, conclusion=form.cleaned_data["conclusion"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is uitgecheckt.") % {"name": card.student.full_name})
    return _back_to_day(card, the_day)


def day_entry(request, pk, day):
    """The coach enters a paper card: every lesson hour of one day on one screen."""
    card = _card_to_correct(request, pk)
    the_day = _day(day)
    log_read(user=request.user, students=[card.student], section="puntenkaart invoeren")
    hours = services.card_hours_on(card, the_day)
    expectations = _expectations(card)
    card_day = card.days.filter(day=the_day).first()
    saved = {s.hour: s for s in card_day.scores.all()} if card_day else {}
    errors: list[str] = []
    if request.method == "POST":
        entries = {}
        for hour in hours:
            status = request.POST.get(f"h{hour}-status", "")
            if not status:
                continue  # left empty: not on paper either
            points = {e.pk: request.POST.get(f"h{hour}-e{e.pk}", "") for e in expectations}
            if status == PeriodStatus.SCORED and "" in points.values():
                errors.append(_("Lesuur %(hour)s: geef elke verwachting 0, 1 of 2 punten.") % {"hour": hour})
                continue
            entries[hour] = {"status": status, "points": points, "remark": request.POST.get(f"h{hour}-remark", "")}
        if not errors:
            try:
                services.day_scores_save(card=card, day=the_day, actor=request.user, periods=entries)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("De kaart van %(date)s is ingevoerd.") % {"date": date_format(the_day, "SHORT_DATE_FORMAT")},
                )
                return _back_to_day(card, the_day)
    grid = []
    for hour in hours:
        prior = saved.get(hour)
        if request.method == "POST":
            status = request.POST.get(f"h{hour}-status", "")
            values = {e.pk: request.POST.get(f"h{hour}-e{e.pk}", "") for e in expectations}
            remark = request.POST.get(f"h{hour}-remark", "")
        else:
            status = prior.status if prior else ""
            values = {e.pk: str(prior.points.get(str(e.pk), "")) if prior else "" for e in expectations}
            remark = prior.remark if prior else ""
        grid.append(
            {"hour": hour, "status": status, "remark": remark, "cells": [(e, values[e.pk]) for e in expectations]}
        )
    return render(
        request,
        "cico/day_entry.html",
        {
            "card": card,
            "day": the_day,
            "grid": grid,
            "expectations": expectations,
            "errors": errors,
            "statuses": PeriodStatus,
        },
    )


# --- graphs, proposal, print -----------------------------------------------------------------


def card_detail(request, pk):
    """The card's page: the graphs (per day with the goal line, per week, per expectation)
    with their tables, the days with the coach's conclusions, the proposal."""
    card = get_object_or_404(Card.objects.select_related("student__school_class", "placement__facility"), pk=pk)
    card = _card_of_placement(request, card.placement_id)
    log_read(user=request.user, students=[card.student], section="puntenkaart grafieken")
    days = selectors.card_days(card)
    since, summary = selectors.since_last_evaluation(card)
    can_correct = access.can(request.user, "card.correct", card)
    return render(
        request,
        "cico/card_detail.html",
        {
            "card": card,
            "expectations": list(card.expectations.all()),
            "periods": list(card.periods.all()),
            "days": list(reversed(days))[:20],
            "since": since,
            "summary": summary,
            "daily": selectors.daily_chart(card, days),
            "weekly": selectors.weekly_chart(card, days),
            "per_expectation": selectors.expectation_chart(card),
            "proposals": list(card.proposals.select_related("by")[:5]),
            "can_manage": access.can(request.user, "card.manage", card.placement),
            "can_correct": can_correct and card.is_active,
            "can_score": access.can(request.user, "card.score", card),
            "proposal_form": forms.ProposalForm(initial={"proposal": summary.suggestion or None}),
            "today": timezone.localdate(),
        },
    )


@require_POST
def card_propose(request, pk):
    card = _card_to_correct(request, pk)
    form = forms.ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.card_propose(card=card, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het voorstel staat klaar voor de evaluatie."))
    else:
        messages.error(request, _("Kies een voorstel."))
    return redirect(card)


def card_print(request, pk, day):
    """The printable daily card (A4 or A5) with a QR code that opens the scoring screen."""
    card = _card_to_score(request, pk)
    the_day = _day(day)
    log_read(user=request.user, students=[card.student], section="puntenkaart afdrukken")
    url = request.build_absolute_uri(reverse("cico:score", args=[card.pk, f"{the_day:%Y-%m-%d}"]))
    return render(
        request,
        "cico/card_print.html",
        {
            "card": card,
            "day": the_day,
            "hours": services.card_hours_on(card, the_day),
            "expectations": _expectations(card),
            "qr": selectors.qr_svg(url),
            "url": url,
            "size": "a5" if request.GET.get("formaat") == "a5" else "a4",
        },
    )
