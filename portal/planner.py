"""The planner's workspace: overview with charts, solver runs with live progress, the roster as a timeline,
hand edits checked against the hard rules, exports, and the VO written timetable (planned, previewed,
applied)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from certificates.exam_day import AttendanceData, AttendanceRow, render_attendance_list
from certificates.render import format_date
from exams.errors import DomainError
from exams.models import (
    Disruption,
    ExamFamily,
    Examiner,
    ExamSession,
    Location,
    PlacementRequest,
    PlanningRun,
    Provision,
    Registration,
    Room,
    RosterVersion,
    StaffAssignment,
    WrittenPlanRun,
)
from exams.planning import roster as roster_versions
from exams.planning import runs, workspace, written_runs
from exams.planning.adapter import FAMILY_CODES, Scope
from exams.planning.wording import Wording, part_name, part_names

from .charts import Bar, bar_chart
from .forms import posted_choice
from .spreadsheets import csv_download

planner_required = user_passes_test(lambda user: user.is_authenticated and user.is_planner)


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _period(data, days: int) -> tuple[date, date] | None:
    """The period a form gave (``from``, ``to``; an empty end is ``days`` after the start), or None when a date
    given cannot be read."""
    try:
        start = date.fromisoformat(data["from"]) if data.get("from") else timezone.localdate()
        return start, date.fromisoformat(data["to"]) if data.get("to") else start + timedelta(days=days)
    except ValueError:
        return None


def _window_and_limit(form: dict, days: int) -> tuple[date, date, int]:
    """The window (``from``, ``to``) and ``time_limit`` a planning form gave; a ValueError saying what
    cannot be read."""
    window = _period(form, days)
    if window is None:
        raise ValueError(_("Give the dates as yyyy-mm-dd."))
    if not form["time_limit"].isdigit():
        raise ValueError(_("Give the time limit in whole seconds."))
    return window[0], window[1], int(form["time_limit"])


# The planning services word these refusals in English; the code is the contract, so the page says them in
# the reader's language. Refusals that name people or rules keep the service's own words.
REFUSALS = {
    "bad_period": gettext_lazy("The period ends before it starts."),
    "bad_time_limit": gettext_lazy("The time limit must be between 1 and 3600 seconds."),
    "run_not_finished": gettext_lazy("Only a finished run can be published."),
    "already_published": gettext_lazy("This run has already been published."),
    "run_finished": gettext_lazy("This run has already finished."),
    "no_result": gettext_lazy("This run has no roster yet."),
    "already_undone": gettext_lazy("This version has already been undone."),
    "stale_roster": gettext_lazy("The published roster changed after this roster was made; compare again and "
                                 "retry."),
    "stale_edit": gettext_lazy("Someone changed this session's roster meanwhile; reload and try again."),
    "session_cancelled": gettext_lazy("A cancelled session cannot be opened or closed."),
    "session_past": gettext_lazy("A session in the past cannot be opened for booking."),
    "unknown_period": gettext_lazy("Choose one of the written exam periods."),
    "window_reversed": gettext_lazy("The window ends before it starts."),
    "window_past": gettext_lazy("The window starts in the past."),
    "window_no_weekday": gettext_lazy("The window has no weekday."),
    "no_written_exams": gettext_lazy("There are no VO written exams to plan."),
    "no_written_hall": gettext_lazy("No hall holds VO written sittings yet: plan the written sittings' sites "
                                    "first."),
    "written_placed": gettext_lazy("This period already has sittings with candidates placed in them; their "
                                   "exams cannot move."),
    "written_parts_changed": gettext_lazy("The VO written exams changed since this timetable was planned; plan "
                                          "it again."),
    "written_applied": gettext_lazy("This timetable has already been applied."),
    "written_finished": gettext_lazy("This plan has already finished."),
    "written_no_timetable": gettext_lazy("Only a finished plan with a timetable can be applied."),
    "window_no_exam_day": gettext_lazy("The window has only public holidays on its weekdays."),
    "period_past": gettext_lazy("The period lies wholly in the past."),
    "vacancies_unconfirmed": gettext_lazy("This roster leaves staff places empty: tick that you publish it "
                                          "with its vacancies, or fill them first."),
    "nothing_to_publish": gettext_lazy("This run had nothing to plan: there is no roster to publish."),
    "placement_within_notice": gettext_lazy("This roster places candidates on days they can no longer be "
                                            "summoned for in time; plan it again."),
    "seats_taken_meanwhile": gettext_lazy("Candidates booked seats in a sitting of this roster after it was "
                                          "made, so it no longer fits; run the planning again."),
    "written_no_candidates": gettext_lazy("No candidate waits for a VO written exam in this window: without "
                                          "candidates there is nothing to keep apart, so no timetable is "
                                          "planned."),
    "period_within_notice": gettext_lazy("The whole period falls within the notice candidates get before an "
                                         "exam (their summons letter goes out days ahead). Choose a later "
                                         "period."),
}


# The solver's soft rules, named in the reader's language where the pages show what a roster pays for them.
RULE_NAMES = {
    "Travel distance": gettext_lazy("Travel distance"),
    "Maximum travel distance": gettext_lazy("Maximum travel distance"),
    "Date and location preferences": gettext_lazy("Date and location preferences"),
    "Exams on the same day": gettext_lazy("Exams on the same day"),
    "Session cost (fewer, fuller sessions)": gettext_lazy("Session cost (fewer, fuller sessions)"),
    "Staff coverage": gettext_lazy("Staff coverage"),
    "Staff travel distance": gettext_lazy("Staff travel distance"),
    "Staff cost": gettext_lazy("Staff cost"),
    "Rotate examiner pairs": gettext_lazy("Rotate examiner pairs"),
    "Fair workload (spread)": gettext_lazy("Fair workload (spread)"),
    "Deadline priority": gettext_lazy("Deadline priority"),
    "Provision priority": gettext_lazy("Provision priority"),
    "Place every request": gettext_lazy("Place every request"),
    "Change to published roster": gettext_lazy("Change to published roster"),
}


def _rule(name: str) -> str:
    return str(RULE_NAMES.get(name, name))


def _refusal(error: DomainError) -> str:
    if error.code == "written_impossible":  # the reason is the library's worded sentence
        return _("No timetable is possible: %(reason)s") % {"reason": Wording().say(error.details, error.message)}
    return _reworded(error.code, error.message)


def _reworded(code: str, message: str) -> str:
    """A planning service's refusal (its code and English message, as raised or as a job stored it) in the
    reader's language."""
    return str(REFUSALS.get(code, message))


def _with_family_names(runs):
    """The runs, each with ``family_name``: its exam family's name in the reader's language (empty: all),
    and ``location_names``: the names of the locations it covers (empty: all)."""
    names = {family.code: family.name for family in ExamFamily.objects.all()}
    places = dict(Location.objects.values_list("code", "name"))
    for run in runs:
        run.family_name = names.get(run.family, run.family)
        run.location_names = [places.get(code, code) for code in run.location_codes]
    return runs


def _demand_label(cell: workspace.DemandCell) -> str:
    """A row of the overview's demand chart: 'Examencentrum Amsterdam, week 50', or the requests still
    without a seat that prefer a location."""
    if cell.week is None:
        return (_("%(location)s: waiting") % {"location": cell.location} if cell.location
                else _("Waiting, no preferred location"))
    return _("%(location)s, week %(week)d") % {"location": cell.location, "week": cell.week}


def _with_part_names(changes: list[roster_versions.Change]) -> list[tuple[roster_versions.Change, str]]:
    """Roster changes, each with its exam part's full name in the reader's language (changes keep the code;
    a sitting of several parts is named by all of them)."""
    names = part_names()
    return [(change, part_name(names, change.part) or change.part) for change in changes]


CHANGES_SHOWN = 300
#: A roster change's kind as the changes table, its filters and the CSV say it: the one list of labels.
CHANGE_KIND_NAMES = {
    roster_versions.ADDED: gettext_lazy("added"), roster_versions.MOVED: gettext_lazy("moved"),
    roster_versions.REMOVED: gettext_lazy("removed"), roster_versions.STAFF_ADDED: gettext_lazy("duty added"),
    roster_versions.STAFF_REMOVED: gettext_lazy("duty withdrawn"),
}
CHANGE_KINDS = tuple(CHANGE_KIND_NAMES)


def _changes_context(request: HttpRequest, changes: list[roster_versions.Change], csv_url: str) -> dict:
    """The changes table of a run or version: one kind of change when the planner picked one
    (``?changes=moved``), at most :data:`CHANGES_SHOWN` rows on the page, and every one in the CSV."""
    kind = request.GET.get("changes", "")
    kind = kind if kind in CHANGE_KINDS else ""
    chosen = [c for c in changes if c.kind == kind] if kind else changes
    per_kind = Counter(c.kind for c in changes)
    return {"changes": [(c, name, CHANGE_KIND_NAMES.get(c.kind, c.kind))
                        for c, name in _with_part_names(chosen[:CHANGES_SHOWN])],
            "changes_kind": kind, "changes_total": len(chosen),
            "changes_all": len(changes), "changes_shown": CHANGES_SHOWN, "changes_csv": csv_url,
            "change_filters": [(k, CHANGE_KIND_NAMES[k], per_kind[k]) for k in CHANGE_KINDS if per_kind[k]]}


def _changes_csv(changes: list[roster_versions.Change], filename: str) -> HttpResponse:
    """Every change, one row each, for a spreadsheet, headed and worded in the reader's language as the
    changes table is (the part's code kept beside its name, to sort and filter on)."""
    header = [pgettext("a roster change", "Change"), _("Who"), _("Role"), _("Code"), _("Exam part"), _("Before"),
              _("After")]
    return csv_download(filename, header,
                        ([CHANGE_KIND_NAMES.get(change.kind, change.kind), change.person, change.role_label,
                          change.part, part_name, change.before, change.after]
                         for change, part_name in _with_part_names(changes)))


def _version(request: HttpRequest) -> int:
    """The roster version the page showed; one that cannot be read is stale (the change is refused)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


@planner_required
def overview(request: HttpRequest) -> HttpResponse:
    family = request.GET.get("family", "")
    family = family if family in FAMILY_CODES else ""
    start = _date(request.GET.get("from"), timezone.localdate())
    weeks = max(1, min(26, int(request.GET.get("weeks", "6") or 6))) if str(request.GET.get("weeks", "6")).isdigit() else 6
    data = workspace.overview(family=family, start=start, weeks=weeks)
    return render(request, "portal/planner/overview.html", {
        "data": data, "family": family, "start": start, "weeks": weeks, "families": ExamFamily.objects.all(),
        "repair_url": reverse("portal:planner_repair"),
        # Requests still waiting have no seats yet: their row shows how many, with no capacity beside it.
        "demand_chart": bar_chart([Bar(_demand_label(cell), cell.demand, None if cell.week is None else cell.capacity)
                                   for cell in data.demand_capacity],
                                  title=_("Demand and capacity per location and week"),
                                  legend=(_("booked or waiting"), _("capacity"))),
        "workload_chart": bar_chart([Bar(label, count) for label, count in data.workload],
                                    title=_("Examiners by number of assignments")),
    })


@require_http_methods(["GET", "POST"])
@planner_required
def run_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = {"family": "", "from": today.isoformat(), "to": (today + timedelta(days=41)).isoformat(),
            "locations": [], "time_limit": "30"}
    if request.method == "POST":
        form = {**{key: request.POST.get(key, "").strip() for key in ("family", "from", "to", "time_limit")},
                "locations": [c for c in request.POST.getlist("locations") if c]}
        try:
            date_from, date_to, time_limit = _window_and_limit(form, 41)
            family = form["family"] if form["family"] in FAMILY_CODES else ""
            run = runs.run_create(scope=Scope(date_from=date_from, date_to=date_to, family=family,
                                              location_codes=tuple(form["locations"])),
                                  time_limit=time_limit, created_by=request.user)
        except DomainError as error:
            messages.error(request, _refusal(error))
        except ValueError as error:
            messages.error(request, str(error))
        else:
            return redirect("portal:planner_run", run_id=run.pk)
    return render(request, "portal/planner/runs.html", {
        "runs": _with_family_names(PlanningRun.objects.all()[:20]), "families": ExamFamily.objects.all(),
        "locations": Location.objects.filter(active=True), "form": form,
    })


# How many items of each list of a run's explanation show at once; the rest open with one click.
EXPLAINED_SHOWN = 10


@planner_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _with_family_names([get_object_or_404(PlanningRun, pk=run_id)])[0]
    explanation = None
    if run.result:
        explanation = runs.run_explanation(run)
        for item in explanation["unplaced"]:
            if str(item.get("candidate_id", "")).removeprefix("C").isdigit():
                item["url"] = reverse("portal:planner_candidate", args=[int(item["candidate_id"][1:])])
        rules = sorted(explanation["breakdown"].items(), key=lambda kv: -kv[1])
        explanation["chart"] = bar_chart([Bar(_rule(rule), cost) for rule, cost in rules[:12]],
                                         title=_("Penalty per rule"), log=True)
        explanation["largest"] = (_rule(rules[0][0]), rules[0][1]) if rules and rules[0][1] else None
    live = run.status in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING)
    comparison = roster_versions.compare_run(run) if run.result and not run.published_at else None
    return render(request, "portal/planner/run.html", {
        "run": run, "live": live, "explanation": explanation, "comparison": comparison,
        **_changes_context(request, comparison.changes if comparison else [],
                           reverse("portal:planner_run_changes_csv", args=[run.pk])),
        "counts": comparison.counts() if comparison else None,
        "versions": run.versions.all(), "shown": EXPLAINED_SHOWN, "minus_shown": -EXPLAINED_SHOWN,
        "newer": RosterVersion.objects.filter(created_at__gt=run.created_at).first() if comparison else None,
        # Time used while it runs; a finished run's bar is full, whenever it finished.
        "elapsed_pct": 100 if not live else min(100, int(100 * run.elapsed / run.time_limit)) if run.time_limit else 0,
        # The gap to the lower bound says something only when the solver proved a bound above nothing; a
        # repair keeps the published roster, so its bound (from scratch) says nothing about it.
        "gap_pct": None if run.gap is None or not run.bound or run.bound <= 0
        or (explanation or {}).get("repair") else 100 * run.gap,
        "error": _readable_error(run.error),
    })


def _readable_error(error: str) -> str:
    """What a failed run stored, for the page: its reason when it is a sentence, never an exception's repr
    or a traceback (those are in the server's log)."""
    if not error:
        return ""
    if "Traceback" in error or re.match(r"^[A-Za-z_.]+(Error|Exception|Exit|Interrupt)\b", error):
        return _("The run stopped because of an error in the system. It has been logged; start the run "
                 "again, and if it fails again, tell the application's administrators.")
    return _(error)  # the runs store their reasons in English, each with its Dutch in the catalogue


@require_POST
@planner_required
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        runs.run_cancel(run=get_object_or_404(PlanningRun, pk=run_id))
        messages.success(request, _("The solver stops and keeps the best roster found so far."))
    except DomainError as error:
        messages.error(request, _refusal(error))
    return redirect("portal:planner_run", run_id=run_id)


@require_POST
@planner_required
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Not published: tick that you have checked the changes."))
        return redirect("portal:planner_run", run_id=run_id)
    try:
        version = roster_versions.publish_run(run=get_object_or_404(PlanningRun, pk=run_id),
                                              actor=request.user,
                                              confirm_vacancies=bool(request.POST.get("confirm_vacancies")))
    except DomainError as error:
        messages.error(request, _refusal(error))
        return redirect("portal:planner_run", run_id=run_id)
    messages.success(request, _("Published as version %(v)d: %(a)d added, %(m)d moved, %(r)d removed, %(s)d staff "
                                "changes. Everyone affected gets a message.") % {
        "v": version.pk, "a": version.counts["added"], "m": version.counts["moved"], "r": version.counts["removed"],
        "s": version.counts["staff_added"] + version.counts["staff_removed"]})
    return redirect("portal:planner_version", version_id=version.pk)


@planner_required
def versions(request: HttpRequest) -> HttpResponse:
    rows = list(RosterVersion.objects.select_related("run", "created_by", "reverts")[:50])
    undone = set(RosterVersion.objects.filter(reverts__in=rows).values_list("reverts_id", flat=True))
    return render(request, "portal/planner/versions.html", {"versions": rows, "undone": undone})


@planner_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(RosterVersion.objects.select_related("run", "created_by", "reverts"), pk=version_id)
    undone = RosterVersion.objects.filter(reverts=version).first()
    return render(request, "portal/planner/version.html", {
        "version": version, "undone": undone,
        # A later version in force means this one cannot be undone before it: say so instead of a dead button.
        "blocked_by": None if undone else roster_versions.undo_blocked_by(version),
        **_changes_context(request, roster_versions.stored_changes(version),
                           reverse("portal:planner_version_changes_csv", args=[version.pk])),
    })


@planner_required
def run_changes_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every change the run's roster would make to the published one."""
    run = get_object_or_404(PlanningRun, pk=run_id)
    if not run.result or run.published_at:
        raise Http404("This run has no roster to compare.")
    return _changes_csv(roster_versions.compare_run(run).changes, f"run-{run.pk}-changes.csv")


@planner_required
def version_changes_csv(request: HttpRequest, version_id: int) -> HttpResponse:
    """Every change a published version made."""
    version = get_object_or_404(RosterVersion, pk=version_id)
    return _changes_csv(roster_versions.stored_changes(version), f"version-{version.pk}-changes.csv")


@require_POST
@planner_required
def version_undo(request: HttpRequest, version_id: int) -> HttpResponse:
    """Undo a publish by publishing the roster that stood before it."""
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Not undone: tick that you want to undo this version."))
        return redirect("portal:planner_version", version_id=version_id)
    try:
        undo = roster_versions.undo(version=get_object_or_404(RosterVersion, pk=version_id), actor=request.user)
    except DomainError as error:
        messages.error(request, _("Not undone: %(reason)s") % {"reason": _refusal(error)})
        return redirect("portal:planner_version", version_id=version_id)
    messages.success(request, _("Version %(old)d is undone by version %(new)d; everyone affected gets a message.")
                     % {"old": version_id, "new": undo.pk})
    return redirect("portal:planner_version", version_id=undo.pk)


DAY_START, DAY_END = 8 * 60, 18 * 60


def _fit_text(text: str, width: float, char_width: float = 6.5) -> str:
    """``text`` cut to what fits in ``width`` chart units, at a word where it can, with an ellipsis where it
    was cut."""
    room = max(1, int(width // char_width))
    if len(text) <= room:
        return text
    cut = text[:max(1, room - 1)]
    word_end = cut.rfind(" ")
    if word_end >= room // 2:
        cut = cut[:word_end]
    return cut.rstrip(" ,–-") + "…"


def _minutes(moment) -> int:
    return moment.hour * 60 + moment.minute


def _timeline_svg(rows: list[workspace.RoomRow], title: str) -> str:
    """The day's rooms as rows and their sittings as blocks, at the site's own time of day; the hours shown
    stretch to hold a sitting before 8:00 or after 18:00. A cancelled sitting stays in its place, greyed,
    struck through and labelled. Every label cut short shows whole when hovered."""
    width, label_w, row_h = 900, 150, 58
    times = [(s.local_starts_at, s.room.location.local(s.ends_at)) for row in rows for s in row.blocks]
    first = min([DAY_START, *(_minutes(start) // 60 * 60 for start, _end in times)])
    last = max([DAY_END, *(-(-_minutes(end) // 60) * 60 if end.date() == start.date() else 24 * 60
                           for start, end in times)])
    span = last - first
    scale = (width - label_w) / span
    parts = [f'<svg class="chart" viewBox="0 0 {width} {len(rows) * row_h + 24}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for hour in range(first // 60, last // 60 + 1):
        x = label_w + (hour * 60 - first) * scale
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{len(rows) * row_h}" class="chart-grid"/>'
                     f'<text x="{x + 2:.0f}" y="{len(rows) * row_h + 16}" class="chart-value">{hour}:00</text>')
    for i, row in enumerate(rows):
        y = i * row_h
        parts.append(f'<g><title>{escape(row.room)}</title><text x="0" y="{y + 30}" class="chart-label">'
                     f'{escape(_fit_text(row.room, label_w - 8))}</text></g>')
        for session in row.blocks:
            start = session.local_starts_at
            end = session.room.location.local(session.ends_at)
            end_minutes = _minutes(end) if end.date() == start.date() else 24 * 60
            x0 = label_w + (_minutes(start) - first) * scale
            x1 = label_w + (end_minutes - first) * scale
            cancelled = session.status == ExamSession.Status.CANCELLED
            names = ", ".join(p.name for p in session.parts.all())
            when = f"{start:%H:%M}–{end:%H:%M}"
            state = f"{session.get_status_display()}: " if cancelled else ""
            hover = (f"{state}{when} {', '.join(p.full_name for p in session.parts.all())}, "
                     f"{session.seats_booked}/{session.capacity}")
            inner = x1 - x0 - 8
            lines = [_("Cancelled"), when, names] if cancelled else [when, names,
                                                                    f"{session.seats_booked}/{session.capacity}"]
            # No links inside: the picture is one image; the session cards below carry the actions. The block
            # shows as much as fits in it; hovering shows it whole.
            parts.append(f'<g class="{"timeline-cancelled" if cancelled else "timeline-session"}">'
                         f'<title>{escape(hover)}</title><rect x="{x0:.0f}" y="{y + 4}" width="{max(4, x1 - x0):.0f}" '
                         f'height="{row_h - 8}" class="chart-back timeline-rect"/>'
                         + "".join(f'<text x="{x0 + 4:.0f}" y="{y + 18 + 14 * n}" class="chart-value">'
                                   f'{escape(_fit_text(line, inner))}</text>' for n, line in enumerate(lines))
                         + "</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


# How many people the replace picker suggests per duty (free and qualified, nearest first), and how many
# others of the session's exam family it lists below them (nearest first; Check says why they do not fit).
SUGGESTIONS = 15
OTHERS = 40


def _nearby_examiners(session: ExamSession, cache: dict) -> list[Examiner]:
    """Active examiners qualified in the session's exam family, nearest to its site first (one query per
    site and family set on a page; people without a home location last)."""
    location = session.room.location
    families = frozenset(p.programme.family_id for p in session.parts.all())
    key = (location.pk, families)
    if key not in cache:
        people = Examiner.objects.filter(active=True, qualifications__family_id__in=families).distinct() \
            .select_related("home_location")
        cache[key] = sorted(people, key=lambda e: (
            e.home_location is None, location.distance_km(float(e.home_location.latitude),
                                                          float(e.home_location.longitude))
            if e.home_location else 0, e.last_name, e.first_name, e.pk))[:SUGGESTIONS + OTHERS + 2]
    return cache[key]


def _first_sitting(locations, code: str, day: date | None) -> tuple[str, date] | None:
    """The location and day the roster opens on when the planner did not say: the first day from today with
    sittings (not cancelled) at location ``code``, or at any of ``locations``; on ``day`` only, when given."""
    sessions = ExamSession.objects.filter(room__location__in=locations).exclude(
        status=ExamSession.Status.CANCELLED)
    if code:
        sessions = sessions.filter(room__location__code=code)
    sessions = (sessions.filter(starts_at__date=day) if day
                else sessions.filter(starts_at__date__gte=timezone.localdate()))
    first = sessions.select_related("room__location").order_by("starts_at", "room__location__name").first()
    return (first.room.location.code, timezone.localtime(first.starts_at).date()) if first else None


@planner_required
def roster(request: HttpRequest) -> HttpResponse:
    """One location's sittings on one day; without a location or day asked for, the first day from today
    that has sittings, at a location that has them."""
    locations = Location.objects.filter(active=True)
    code = request.GET.get("location", "")
    asked = _date(request.GET.get("date"), None) if request.GET.get("date") else None
    found = None if code and asked else _first_sitting(locations, code, asked)
    code = code or (found[0] if found else locations.first().code if locations.exists() else "")
    day = asked or (found[1] if found else timezone.localdate())
    rows = workspace.roster_day(location_code=code, day=day)
    sessions = [s for row in rows for s in row.blocks]
    nearby: dict = {}
    for session in sessions:
        part_ids = [p.pk for p in session.parts.all()]
        session.candidates = list(session.registrations.filter(status="confirmed").select_related("candidate", "part"))
        # Only sessions a candidate can still be moved to: not begun, not cancelled, with a free seat.
        session.targets = list(ExamSession.objects.filter(
            parts__in=part_ids, room__location=session.room.location, status__in=["open", "closed"],
            starts_at__gte=max(session.starts_at - timedelta(days=14), timezone.now()),
            starts_at__lte=session.starts_at + timedelta(days=14), seats_booked__lt=F("capacity"),
        ).exclude(pk=session.pk).select_related("room__location").distinct().order_by("starts_at")[:30])
        session.duties = list(session.staff.all())
        others = _nearby_examiners(session, nearby)
        for duty in session.duties:
            duty.fits = workspace.fitting_examiners(session=session, role=duty.role,
                                                    exclude=(duty.examiner_id,))[:SUGGESTIONS]
            duty.fit_ids = {fit.examiner.pk for fit in duty.fits}
            duty.others = [e for e in others if e.pk not in duty.fit_ids and e.pk != duty.examiner_id][:OTHERS]
    _place_outcome(request, sessions)
    requests = PlacementRequest.objects.filter(registration__session__in=sessions, status="placed")
    return render(request, "portal/planner/roster.html", {
        "locations": locations, "code": code, "day": day, "rows": rows, "sessions": sessions,
        "placed": {r.registration_id for r in requests}, "pinned": {r.registration_id for r in requests if r.pinned},
        "timeline": _timeline_svg(rows, _("Rooms and sessions on %(day)s") % {"day": day.isoformat()}),
        "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
    })


@require_POST
@planner_required
def assignment_replace(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session__room__location"), pk=assignment_id)
    examiner = posted_choice(request, Examiner.objects, "examiner")
    session, form = assignment.session, f"replace-{assignment.pk}"
    if examiner is None:
        return _outcome(request, session, form, ok=False, text=_("Not changed: %(reason)s") % {
            "reason": _("choose a person from the list.")})
    if request.POST.get("preview"):
        preview = workspace.replace_preview(assignment=assignment, examiner=examiner)
        return _outcome(request, session, form, ok=preview.allowed, text=_preview_text(preview),
                        chosen=examiner.pk)
    try:
        workspace.assignment_replace(assignment=assignment, examiner=examiner, version=_version(request),
                                     actor=request.user)
    except DomainError as error:
        return _outcome(request, session, form, ok=False, chosen=examiner.pk,
                        text=_("Not changed: %(reason)s") % {"reason": _refusal(error)})
    return _outcome(request, session, form, ok=True, text=_("%(name)s now works in this session.") % {
        "name": examiner})


def _preview_text(preview: workspace.EditPreview) -> str:
    """The check before saving: the hard rules an edit would break, or what it does to the soft score."""
    if not preview.allowed:
        return _("Check: not allowed: %(reason)s") % {"reason": " ".join(preview.problems)}
    parts = [f"{_rule(line.rule)}: {line.detail} ({line.change:+.0f})" for line in preview.lines
             if line.change or line.detail]
    return (_("Check: allowed. Soft score %(change)+.0f points. %(lines)s Nothing is saved yet.")
            % {"change": preview.change, "lines": "; ".join(parts) + "." if parts else ""})


def _roster_url(session: ExamSession) -> str:
    local = session.local_starts_at
    return f"{reverse('portal:planner_roster')}?location={session.room.location.code}&date={local.date().isoformat()}"


OUTCOME = "planner_edit_outcome"


def _outcome(request: HttpRequest, session: ExamSession, form: str, *, ok: bool, text: str,
             chosen: int | None = None) -> HttpResponse:
    """Back to the roster, where the outcome of a check or an edit shows next to the form it came from
    (``form``: ``move-<registration>`` or ``replace-<duty>``) with the option chosen there still chosen;
    at the session when that form is gone (a candidate moved away), at the top when the session is too."""
    request.session[OUTCOME] = {"form": form, "session": session.pk, "ok": ok, "text": text, "chosen": chosen}
    return redirect(f"{_roster_url(session)}#outcome")


def _place_outcome(request: HttpRequest, sessions: list[ExamSession]) -> None:
    """Hand the last check's or edit's outcome to the form, the session or the page that shows it."""
    outcome = request.session.pop(OUTCOME, None)
    if not outcome:
        return
    for session in sessions:
        for item in (*(("move-%d" % r.pk, r) for r in session.candidates),
                     *(("replace-%d" % d.pk, d) for d in session.duties)):
            if item[0] == outcome["form"]:
                item[1].outcome = outcome
                return
    for session in sessions:
        if session.pk == outcome["session"]:
            session.outcome = outcome
            return
    messages.add_message(request, messages.SUCCESS if outcome["ok"] else messages.ERROR, outcome["text"])


@planner_required
def attendance_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(ExamSession.objects.select_related("room__location"), pk=session_id)
    registrations = list(session.registrations.filter(status__in=["confirmed", "sat"]).select_related(
        "candidate", "part__programme").order_by("candidate__last_name"))
    approved = {}
    for provision in Provision.objects.filter(candidate_id__in=[r.candidate_id for r in registrations],
                                              status="approved"):
        approved.setdefault(provision.candidate_id, []).append(provision.get_kind_display())
    language = request.LANGUAGE_CODE[:2]
    data = AttendanceData(
        location=session.room.location.name, room=session.room.name, starts_at=session.local_starts_at,
        staff=tuple(f"{a.examiner} ({a.get_role_display()})" for a in session.staff.select_related("examiner")),
        rows=tuple(AttendanceRow(i + 1, r.candidate.full_name, format_date(r.candidate.birth_date, language),
                                 r.part.full_name, ", ".join(approved.get(r.candidate_id, [])))
                   for i, r in enumerate(registrations)))
    response = HttpResponse(render_attendance_list(data, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attendance-{session.pk}.pdf"'
    return response


@planner_required
def roster_csv(request: HttpRequest) -> HttpResponse:
    """Roster of a location and period as CSV (opens in Excel): one row per candidate or staff member."""
    code = request.GET.get("location", "")
    start = _date(request.GET.get("from"), timezone.localdate())
    end = _date(request.GET.get("to"), start + timedelta(days=6))
    sessions = (ExamSession.objects.filter(room__location__code=code, starts_at__date__gte=start,
                                           starts_at__date__lte=end).select_related("room__location")
                .prefetch_related("parts__programme").order_by("starts_at"))
    rows = []
    for session in sessions:
        common = [session.pk, f"{session.local_starts_at:%Y-%m-%d %H:%M}", session.room.name,
                  ", ".join(p.full_name for p in session.parts.all())]
        for registration in session.registrations.filter(status__in=["confirmed", "sat"]).select_related("candidate"):
            rows.append([*common, _("Candidate"), registration.candidate.full_name,
                         registration.get_status_display()])
        for assignment in session.staff.select_related("examiner"):
            rows.append([*common, _("Staff"), str(assignment.examiner), assignment.get_role_display()])
    return csv_download(f"roster-{code}-{start}.csv", [_("Session"), _("Starts at"), _("Room"), _("Exam parts"),
                                                      _("Candidate or staff"), _("Name"), _("Role or status")], rows)


DISRUPTIONS_SHOWN = 50
# Seconds a repair run started from a disruption may take; a repair changes little, so it finds its roster soon.
REPAIR_TIME_LIMIT = 30


@require_http_methods(["GET", "POST"])
@planner_required
def repair(request: HttpRequest) -> HttpResponse:
    """Disruptions: an examiner unavailable for a period, a room or location closed. The page lists every
    duty that must change with replacements that break no hard rule, and the disruptions reported, newest
    first, each with a repair run to start. A refused report shows the page again with what was typed."""
    today = _date(request.GET.get("from"), timezone.localdate())
    chosen = request.GET.get("examiner", "")
    blank = {"from": today.isoformat(), "to": today.isoformat(), "reason": "",
             "examiner": chosen if chosen.isdigit() else "", "location": "", "room": ""}
    forms = {"examiner": blank, "location": blank}
    if request.method == "POST":
        action = request.POST.get("action")
        posted = {key: request.POST.get(key, "").strip() for key in blank}
        if action in forms:
            forms = {**forms, action: posted}
        error = _repair(request, action, posted)
        if error is None:
            return redirect("portal:planner_repair")
        messages.error(request, error)
    locations = list(Location.objects.filter(active=True).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.filter(active=True).order_by("name"), to_attr="open_rooms")))
    return render(request, "portal/planner/repair.html", {
        "holes": workspace.holes(start=today, days=42), "start": today,
        # Everyone, by last name (type the start of a last name to jump there); the examiner's own page
        # links here with them chosen (?examiner=id).
        "examiners": Examiner.objects.filter(active=True).order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name"),
        "locations": locations, "forms": forms,
        "disruptions": Disruption.objects.select_related("examiner", "location", "room", "reported_by")
        [:DISRUPTIONS_SHOWN],
    })


def _repair(request: HttpRequest, action: str | None, posted: dict) -> str | None:
    """Report the disruption a repair form gave; what is wrong with it, or None when it is done."""
    period = _period(posted, 0)
    if period is None:
        return _("Give the dates as yyyy-mm-dd.")
    start, end = period
    if end < start:
        return _("The period ends before it starts.")
    reason = posted["reason"][:200] or _("disruption")
    if action == "examiner":
        examiner = posted_choice(request, Examiner.objects, "examiner")
        if examiner is None:
            return _("Choose the person who is unavailable.")
        workspace.disruption_report(examiner=examiner, start=start, end=end, reason=reason, actor=request.user)
        messages.success(request, _("%(name)s is marked unavailable; the duties to replace are listed below.")
                         % {"name": examiner})
        return None
    location = posted_choice(request, Location.objects, "location", "code")
    if location is None:
        return _("Choose the location that is closed.")
    room = None
    if posted["room"]:
        room = posted_choice(request, Room.objects.filter(location=location), "room")
        if room is None:
            return _("Choose a room of %(location)s, or the whole location.") % {"location": location.name}
    if request.POST.get("confirm") != "1":
        return _("Tick that the sittings at this location in this period are cancelled.")
    _disruption, count = workspace.disruption_report(location=location, room=room, start=start, end=end,
                                                     reason=reason, actor=request.user)
    closed = f"{room.name}, {location.name}" if room else location.name
    messages.success(request, _("%(name)s is closed; %(n)d candidates can choose a free new date.")
                     % {"name": closed, "n": count})
    return None


@require_POST
@planner_required
def disruption_repair(request: HttpRequest, disruption_id: int) -> HttpResponse:
    """Start a planning run over a disruption's period and place: with a published roster there it is a
    repair, which keeps every published sitting and duty that may stay and changes only what must."""
    disruption = get_object_or_404(Disruption.objects.select_related("location"), pk=disruption_id)
    try:
        run = runs.run_create(scope=workspace.disruption_scope(disruption), time_limit=REPAIR_TIME_LIMIT,
                              created_by=request.user, repair=True)
    except DomainError as error:
        messages.error(request, _("No repair started: %(reason)s") % {"reason": _refusal(error)})
        return redirect("portal:planner_repair")
    return redirect("portal:planner_run", run_id=run.pk)



@require_POST
@planner_required
def registration_move(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Move a candidate to another session of the same part; the hard rules and a stale roster refuse it. The
    move is refused for the reasons its check gives, so Check and Move say the same."""
    from exams.services.bookings import registration_change

    registration = get_object_or_404(Registration.objects.select_related("session__room__location"),
                                     pk=registration_id)
    target = posted_choice(request, ExamSession.objects, "session")
    session, form = registration.session, f"move-{registration.pk}"
    if target is None:
        return _outcome(request, session, form, ok=False, text=_("Not changed: %(reason)s") % {
            "reason": _("choose a session from the list.")})
    preview = workspace.move_preview(registration=registration, target=target)
    if request.POST.get("preview"):
        return _outcome(request, session, form, ok=preview.allowed, text=_preview_text(preview),
                        chosen=target.pk)
    if str(registration.session.version) != request.POST.get("version"):
        stale = _("someone changed this session's roster meanwhile; reload and try again.")
        return _outcome(request, session, form, ok=False, chosen=target.pk,
                        text=_("Not changed: %(reason)s") % {"reason": stale})
    try:
        if not preview.allowed:
            raise DomainError(" ".join(preview.problems), code="move_refused")
        moved = registration_change(registration=registration, session=target, actor=request.user, by_agency=True)
    except DomainError as error:
        return _outcome(request, session, form, ok=False, chosen=target.pk,
                        text=_("Not changed: %(reason)s") % {"reason": error.message})
    ExamSession.objects.filter(pk__in=[registration.session_id, target.pk]).update(version=F("version") + 1)
    from exams import audit, tasks
    from exams.jobs.outbox import enqueue

    audit.record("registration_moved", obj=moved, actor=request.user, request=request,
                 before=registration.session_id, after=target.pk)
    enqueue(tasks.registration_moved, moved.pk)
    return _outcome(request, session, form, ok=True, text=_("%(name)s moved to %(when)s.") % {
        "name": moved.candidate, "when": moved.session.local_starts_at.strftime("%d-%m-%Y %H:%M")})


@require_POST
@planner_required
def registration_pin(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Pin a candidate's placement so the next solver run keeps it (or release the pin)."""
    request_row = get_object_or_404(PlacementRequest.objects.select_related("registration__session__room__location"),
                                    registration_id=registration_id)
    pinned = request.POST.get("pinned") == "1"
    workspace.pin_set(obj=request_row, pinned=pinned, actor=request.user)
    messages.success(request, _("Pinned: the next run keeps this placement.") if pinned else _("Pin released."))
    session = request_row.registration.session
    return redirect(f"{_roster_url(session)}#session-{session.pk}")


@require_POST
@planner_required
def assignment_pin(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session__room__location"), pk=assignment_id)
    pinned = request.POST.get("pinned") == "1"
    workspace.pin_set(obj=assignment, pinned=pinned, actor=request.user)
    messages.success(request, _("Pinned: the next run keeps this duty.") if pinned else _("Pin released."))
    return redirect(f"{_roster_url(assignment.session)}#session-{assignment.session_id}")


@require_POST
@planner_required
def session_open(request: HttpRequest, session_id: int) -> HttpResponse:
    """Open a session for candidates to book, or close it."""
    session = get_object_or_404(ExamSession.objects.select_related("room__location"), pk=session_id)
    back = f"{_roster_url(session)}#session-{session.pk}"
    try:
        session = workspace.session_set_open(session=session, open_=request.POST.get("open") == "1",
                                             version=_version(request), actor=request.user)
    except DomainError as error:
        messages.error(request, _("Not changed: %(reason)s") % {"reason": _refusal(error)})
        return redirect(back)
    messages.success(request, _("The session is now: %(status)s.") % {"status": session.get_status_display()})
    return redirect(back)


@planner_required
def schedules_csv(request: HttpRequest) -> HttpResponse:
    """Every examiner's duties in a period (default: four weeks from today) as CSV."""
    from .schedules import schedules_csv as export

    start = _date(request.GET.get("from"), timezone.localdate())
    return export(start, max(start, _date(request.GET.get("to"), start + timedelta(days=27))))


@planner_required
def schedule_pdf(request: HttpRequest, examiner_id: int) -> HttpResponse:
    from .schedules import schedule_pdf as export

    start = _date(request.GET.get("from"), timezone.localdate())
    return export(get_object_or_404(Examiner, pk=examiner_id), start,
                  max(start, _date(request.GET.get("to"), start + timedelta(days=27))),
                  language=request.LANGUAGE_CODE[:2])


# How many examiners and candidates the people search lists each; it says how many more there are.
PEOPLE_SHOWN = 25


@planner_required
def people(request: HttpRequest) -> HttpResponse:
    """Find an examiner or a candidate by name or e-mail to see their part of the roster."""
    query = request.GET.get("q", "").strip()[:100]
    sections = []
    if len(query) >= 2:
        from django.db.models import Q

        from exams.models import Candidate

        words = Q()
        for word in query.split()[:4]:
            words &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        for title, model, page in ((_("Examiners"), Examiner, "portal:planner_examiner"),
                                   (_("Candidates"), Candidate, "portal:planner_candidate")):
            matches = model.objects.filter(words).order_by("last_name", "first_name")
            shown = [(reverse(page, args=[p.pk]), f"{p.first_name} {p.last_name}", p.email)
                     for p in matches[:PEOPLE_SHOWN]]
            sections.append((title, shown, matches.count() if len(shown) == PEOPLE_SHOWN else len(shown)))
    return render(request, "portal/planner/people.html", {
        "q": query, "too_short": 0 < len(query) < 2, "shown": PEOPLE_SHOWN, "sections": sections})


@planner_required
def examiner_roster(request: HttpRequest, examiner_id: int) -> HttpResponse:
    """One examiner's duties from a date on, with their qualifications and availability exceptions."""
    from exams.models import Availability

    examiner = get_object_or_404(Examiner, pk=examiner_id)
    start = _date(request.GET.get("from"), timezone.localdate())
    duties = (StaffAssignment.objects.filter(examiner=examiner, session__starts_at__date__gte=start)
              .select_related("session__room__location").prefetch_related("session__parts__programme")
              .order_by("session__starts_at")[:200])
    return render(request, "portal/planner/examiner.html", {
        "examiner": examiner, "start": start, "duties": duties,
        "qualifications": examiner.qualifications.select_related("family", "subject", "part"),
        "today": timezone.localdate(),
        "days_off": Availability.objects.filter(examiner=examiner, on_date__gte=start, available=False)
        .order_by("on_date")[:60],
    })


@planner_required
def candidate_roster(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """One candidate's sittings and the requests still waiting for a place, with the solver's reason."""
    from exams.models import Candidate

    person = get_object_or_404(Candidate, pk=candidate_id)
    return render(request, "portal/planner/candidate.html", {
        "person": person,
        "registrations": Registration.objects.filter(candidate=person).select_related(
            "session__room__location", "part").order_by("-session__starts_at")[:100],
        "requests": PlacementRequest.objects.filter(candidate=person).exclude(status="placed")
        .select_related("part", "preferred_location").order_by("-created_at")[:50],
        "provisions": Provision.objects.filter(candidate=person),
    })


@require_http_methods(["GET", "POST"])
@planner_required
def written_list(request: HttpRequest) -> HttpResponse:
    """The VO written timetable: a form to plan a period's national dates (checked at once, planned by a
    worker) and the plans made so far. A refused form shows the page again with what was typed."""
    today = timezone.localdate()
    form = {"period": WrittenPlanRun.Period.FIRST, "from": today.isoformat(),
            "to": (today + timedelta(days=11)).isoformat(), "time_limit": "30", "seed": "0"}
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        try:
            date_from, date_to, time_limit = _window_and_limit(form, 11)
            if not form["seed"].isdigit():
                raise ValueError(_("Give the variant as a whole number, 0 or more."))
            plan = written_runs.plan_create(period=form["period"], date_from=date_from, date_to=date_to,
                                            time_limit=time_limit, seed=int(form["seed"]), created_by=request.user)
        except DomainError as error:
            messages.error(request, _refusal(error))
        except ValueError as error:
            messages.error(request, str(error))
        else:
            return redirect("portal:planner_written_plan", plan_id=plan.pk)
    return render(request, "portal/planner/written.html", {
        "form": form, "periods": WrittenPlanRun.Period.choices, "plans": WrittenPlanRun.objects.all()[:20],
    })


@planner_required
def written_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """One plan: its progress while the worker plans (the page reloads itself), then the preview: the window
    as a calendar of morning and afternoon slots with the exams in each, the penalty per rule, and every
    exam's current date in the period beside the planned one."""
    plan = get_object_or_404(WrittenPlanRun.objects.select_related("created_by", "applied_by"), pk=plan_id)
    context = {"plan": plan, "elapsed_pct": min(100, int(100 * plan.elapsed / plan.time_limit)) if plan.live else 100,
               "error": _reworded(plan.error_code, plan.error) if plan.error else ""}
    if plan.status == WrittenPlanRun.Status.DONE:
        wording = Wording()
        comparison = written_runs.comparison(plan)
        context.update({
            "grid": written_runs.grid(plan),
            "rules": [(wording.say(rule.get("wording"), rule["words"]), rule["penalty"]) for rule in plan.breakdown],
            "reason": wording.say(plan.reason, "") if plan.reason else "",
            "comparison": comparison, "moved": sum(1 for row in comparison if row.changed),
            "can_apply": bool(plan.timetable) and plan.applied_at is None,
        })
    return render(request, "portal/planner/written_plan.html", context)


@require_POST
@planner_required
def written_stop(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Stop a plan early; it keeps the best timetable found so far as its preview."""
    try:
        written_runs.plan_stop(plan=get_object_or_404(WrittenPlanRun, pk=plan_id))
    except DomainError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Planning stops and keeps the best timetable found so far."))
    return redirect("portal:planner_written_plan", plan_id=plan_id)


@require_POST
@planner_required
def written_apply(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Write the plan's timetable as the period's national dates, all or nothing."""
    plan = get_object_or_404(WrittenPlanRun, pk=plan_id)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Not applied: tick that you have checked the dates."))
        return redirect("portal:planner_written_plan", plan_id=plan_id)
    try:
        count = written_runs.plan_apply(plan=plan, actor=request.user)
    except DomainError as error:
        messages.error(request, _("Not applied: %(reason)s") % {"reason": _refusal(error)})
    else:
        messages.success(request, _("The national dates are written: %(n)d exams, %(period)s.")
                         % {"period": plan.get_period_display(), "n": count})
    return redirect("portal:planner_written_plan", plan_id=plan_id)
