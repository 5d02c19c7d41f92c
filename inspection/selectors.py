"""Reads of the HMIC workspace. Every read starts from `visible_to(user)`: a force's people see
their own force's requests and findings, HMIC inspectors and national administrators every force's.
Lists load what they show in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Action, Evidence
from capabilities.models import Requirement
from core.people import display_name
from core.roles import has_role
from forces.catalogue import all_forces
from forces.scoping import force_ids_for
from inspection.models import (
    OVERDUE,
    EvidenceRequest,
    EvidenceRequestStatus,
    Finding,
    FindingKind,
    FindingStatus,
)
from inspection.permissions import ANSWERING_ROLES, can_raise
from threats.models import Edition, EditionStatus

PEOPLE = ("raised_by__profile", "answered_by__profile", "accepted_by__profile")


def evidence_request_list(*, user, force_code: str = "", status: str = "") -> QuerySet[EvidenceRequest]:
    """The requests the user may see, optionally of one force and one shown status (`overdue` is an
    open request past its due date), with force, people, requirements and evidence loaded."""
    rows = (
        EvidenceRequest.objects.visible_to(user)
        .select_related("force", "force__region", *PEOPLE)
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("position")),
            Prefetch("answer_evidence", queryset=Evidence.objects.order_by("title")),
        )
    )
    if force_code:
        rows = rows.filter(force__code=force_code)
    today = timezone.localdate()
    if status == OVERDUE:
        rows = rows.filter(status=EvidenceRequestStatus.OPEN, due_date__lt=today)
    elif status == EvidenceRequestStatus.OPEN:
        rows = rows.filter(status=EvidenceRequestStatus.OPEN, due_date__gte=today)
    elif status in EvidenceRequestStatus.values:
        rows = rows.filter(status=status)
    return rows


def finding_list(*, user, force_code: str = "", kind: str = "", status: str = "") -> QuerySet[Finding]:
    """The findings the user may see, optionally of one force, kind and status, with what they show
    loaded (requirement, threat, area, people and linked actions)."""
    rows = (
        Finding.objects.visible_to(user)
        .select_related(
            "force", "force__region", "requirement", "threat", "area", "recorded_by__profile", "responded_by__profile"
        )
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("requirement")))
    )
    if force_code:
        rows = rows.filter(force__code=force_code)
    if kind in FindingKind.values:
        rows = rows.filter(kind=kind)
    if status in FindingStatus.values:
        rows = rows.filter(status=status)
    return rows


def answerable_evidence(*, user, force_id: int) -> QuerySet[Evidence]:
    """The evidence items a force's person may answer with: their own force's library."""
    return Evidence.objects.visible_to(user).filter(force_id=force_id).order_by("title")


def answer_evidence_get(*, evidence_request: EvidenceRequest, pk: int) -> Evidence:
    """One item the force answered `evidence_request` with (404 for any other). The caller has found
    the request through `visible_to(user)`: whoever may see the request may read its answer."""
    found = evidence_request.answer_evidence.filter(pk=pk).first()
    if found is None:
        raise Http404("No such evidence in this request's answer")
    return found


def linkable_actions(*, user, force_id: int) -> QuerySet[Action]:
    """The actions a finding may be linked to: the force's own, in any of its assessments."""
    return (
        Action.objects.visible_to(user)
        .filter(assessment__force_id=force_id)
        .select_related("requirement", "assessment")
        .order_by("-assessment__period", "due_date", "id")
    )


def requirement_edition(code: str = "") -> Edition | None:
    """The edition a requirement reference is read against: the one named, else the edition in
    force (the newest, if several), else the newest."""
    editions = Edition.objects.all()
    if code:
        return editions.filter(code=code).first()
    return (
        editions.filter(status=EditionStatus.IN_FORCE).order_by("-published_on").first()
        or editions.order_by("-published_on").first()
    )


def requirement_choices(edition: Edition | None) -> QuerySet[Requirement]:
    if edition is None:
        return Requirement.objects.none()
    return Requirement.objects.filter(edition=edition).order_by("position")


@dataclass(frozen=True)
class InspectionSummary:
    """What a force's dashboard and report show of the workspace, counted from the rows given."""

    requests: list[EvidenceRequest]
    findings: list[Finding]

    @property
    def open_requests(self) -> list[EvidenceRequest]:
        return [r for r in self.requests if r.status == EvidenceRequestStatus.OPEN]

    @property
    def overdue_requests(self) -> list[EvidenceRequest]:
        return [r for r in self.requests if r.is_overdue]

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.status == FindingStatus.OPEN]

    @property
    def findings_by_kind(self) -> list[tuple[str, str, int]]:
        counts = Counter(f.kind for f in self.findings)
        return [(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in FindingKind]


def force_inspection(*, user, force_id: int, period: str = "", details: bool = True) -> InspectionSummary:
    """One force's requests and findings (only a period's findings, if a period is given) in a
    constant number of queries: two, or five with `details` (requirements, answer evidence and
    linked actions, for the report)."""
    requests = evidence_request_list(user=user).filter(force_id=force_id)
    findings = finding_list(user=user).filter(force_id=force_id)
    if not details:  # the dashboard's tables: no people, forces or linked records (fewer joins to plan)
        requests = requests.prefetch_related(None).select_related(None)
        findings = findings.prefetch_related(None).select_related(None).select_related("requirement", "threat", "area")
    if period:
        findings = findings.filter(period=period)
    return InspectionSummary(requests=list(requests), findings=list(findings))


def finding_counts(*, user, force_ids=None) -> dict[int, dict[str, int]]:
    """{force id: {kind: number of findings}} over the findings the user may see (one query)."""
    rows = Finding.objects.visible_to(user)
    if force_ids is not None:
        rows = rows.filter(force_id__in=force_ids)
    counts: dict[int, dict[str, int]] = {}
    for row in rows.values("force_id", "kind").annotate(n=Count("id")).order_by():
        counts.setdefault(row["force_id"], dict.fromkeys(FindingKind.values, 0))[row["kind"]] = row["n"]
    return counts


def open_request_counts(*, user, force_ids=None) -> dict[int, dict[str, int]]:
    """{force id: {"open": n, "overdue": n}} over the requests the user may see (one query)."""

    today = timezone.localdate()
    rows = EvidenceRequest.objects.visible_to(user).filter(status=EvidenceRequestStatus.OPEN)
    if force_ids is not None:
        rows = rows.filter(force_id__in=force_ids)
    out: dict[int, dict[str, int]] = {}
    for row in (
        rows.values("force_id").annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))).order_by()
    ):
        out[row["force_id"]] = {"open": row["open"], "overdue": row["overdue"]}
    return out


@dataclass(frozen=True)
class InspectionCountRow:
    """One force's (or region's) findings by kind, in FindingKind's order, and its open requests."""

    name: str
    code: str
    counts: list[int]
    open_requests: int = 0
    overdue_requests: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class NationalInspection:
    """Findings by kind per force and per region, for the national view and the national overview."""

    kinds: list[str]
    forces: list[InspectionCountRow]
    regions: list[InspectionCountRow]

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.regions) for i in range(len(self.kinds))]


def national_inspection(*, user, region=None) -> NationalInspection:
    """Every force with a finding or an open request (of one region, if given), and every region's
    totals, in two queries whatever the numbers."""
    # Force facts are public reference data: every signed-in user reads every force (forces.catalogue).
    forces = sorted(all_forces() if user.is_authenticated else (), key=lambda f: (f.region.name, f.name))
    if region is not None:
        forces = [force for force in forces if force.region_id == region.pk]
    ids = [f.id for f in forces]
    findings = finding_counts(user=user, force_ids=ids)
    requests = open_request_counts(user=user, force_ids=ids)
    kinds = FindingKind.values
    rows, by_region = [], {}
    for force in forces:
        counts = [findings.get(force.id, {}).get(kind, 0) for kind in kinds]
        opened = requests.get(force.id, {"open": 0, "overdue": 0})
        if any(counts) or opened["open"]:
            rows.append(InspectionCountRow(force.name, force.code, counts, opened["open"], opened["overdue"]))
        region_counts = by_region.setdefault((force.region.name, force.region.code), [0] * len(kinds))
        for i, n in enumerate(counts):
            region_counts[i] += n
    regions = [InspectionCountRow(name, code, counts) for (name, code), counts in by_region.items()]
    return NationalInspection(kinds=[str(k.label) for k in FindingKind], forces=rows, regions=regions)


def report_inspection(*, force_id: int, period: str) -> dict:
    """What a force's accountability report shows of the HMIC workspace, as plain values (the
    report's input hash covers them): the findings of the period, and every evidence request that is
    not yet accepted or whose due date falls in the period's financial year. Read by the report worker for
    the one force the report is about. A constant number of queries."""
    start = int(period[:4])
    year_start, year_end = dt.date(start, 4, 1), dt.date(start + 1, 3, 31)
    requests = (
        EvidenceRequest.objects.filter(force_id=force_id)
        .filter(~Q(status=EvidenceRequestStatus.ACCEPTED) | Q(due_date__range=(year_start, year_end)))
        .select_related(*PEOPLE)
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("position")),
            Prefetch("answer_evidence", queryset=Evidence.objects.order_by("title")),
        )
        .order_by("due_date", "id")
    )
    findings = (
        Finding.objects.filter(force_id=force_id, period=period)
        .select_related("requirement", "threat", "area", "recorded_by__profile", "responded_by__profile")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("requirement")))
        .order_by("found_on", "id")
    )

    def subject(finding) -> str:
        if finding.requirement:
            return finding.requirement.ref
        parts = [x.name for x in (finding.threat, finding.area) if x is not None]
        return " × ".join(parts) or str(_("The force as a whole"))

    return {
        "requests": [
            {
                "text": r.text,
                "requirements": [q.ref for q in r.requirements.all()],
                "due_date": r.due_date.isoformat(),
                "status": str(r.status_label),
                "raised_by": display_name(r.raised_by),
                "answer_note": r.answer_note,
                "answer_evidence": [e.title for e in r.answer_evidence.all()],
                "answered_by": display_name(r.answered_by) if r.answered_by else "",
            }
            for r in requests
        ],
        "findings": [
            {
                "kind": str(f.get_kind_display()),
                "subject": subject(f),
                "text": f.text,
                "found_on": f.found_on.isoformat(),
                "status": str(f.get_status_display()),
                "recorded_by": display_name(f.recorded_by),
                "response": f.response,
                "responded_by": display_name(f.responded_by) if f.responded_by else "",
                "actions": [f"{a.requirement.ref}: {a.description}" for a in f.actions.all()],
            }
            for f in findings
        ],
    }


def period_finding_counts(*, force_ids, period: str) -> list[list]:
    """[[force id, kind, number], ...] of a period's findings for the given forces, sorted: what the
    national overview (built by the report worker for a national role) counts and hashes. One query."""
    rows = (
        Finding.objects.filter(force_id__in=list(force_ids), period=period)
        .values("force_id", "kind")
        .annotate(n=Count("id"))
        .order_by("force_id", "kind")
    )
    return [[row["force_id"], row["kind"], row["n"]] for row in rows]


@dataclass(frozen=True)
class InspectionWaiting:
    """What the HMIC workspace has waiting for a user: for a force's answering staff, its open
    requests and its open findings without a response; for an inspector, answers to accept."""

    requests: list[EvidenceRequest]
    findings: list[Finding]

    def __bool__(self) -> bool:
        return bool(self.requests or self.findings)


WAITING_LIMIT = 20


def inspection_waiting(*, user) -> InspectionWaiting:
    """At most WAITING_LIMIT of each, oldest due first, in two queries (none for other roles)."""
    requests = EvidenceRequest.objects.visible_to(user).select_related("force")
    findings = Finding.objects.visible_to(user).select_related("force")
    if can_raise(user):
        return InspectionWaiting(
            requests=list(
                requests.filter(status=EvidenceRequestStatus.ANSWERED).order_by("answered_at")[:WAITING_LIMIT]
            ),
            findings=[],
        )
    if has_role(user, *ANSWERING_ROLES) and force_ids_for(user):
        return InspectionWaiting(
            requests=list(requests.filter(status=EvidenceRequestStatus.OPEN).order_by("due_date")[:WAITING_LIMIT]),
            findings=list(
                findings.filter(status=FindingStatus.OPEN, responded_at__isnull=True).order_by("found_on")[
                    :WAITING_LIMIT
                ]
            ),
        )
    return InspectionWaiting(requests=[], findings=[])
