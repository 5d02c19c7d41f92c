"""The accountability report's executive summary: what a PCC reads first. What is not assured and why,
the actions past their due date, the live departures, the challenges still open at sign-off, and the
change in judgements since the force's published assessment for the previous period.

Everything is read from the records the report is built from (the published snapshot, or the live
content of an unpublished assessment) and, for the change since last year, from the snapshot of the
previous period's latest published revision; nothing is recomputed from live rows behind a
published report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Assessment,
    AssessmentStatus,
    ChallengeStatus,
    DepartingParty,
    DepartureStatus,
    Snapshot,
)
from assessments.records import AssessmentContent, content_of
from capabilities.editions.lineage import Lineage, edition_chain
from capabilities.models import Requirement
from core.periods import previous_period
from reports.context.common import choice_label, govuk_date_text, safe_colour
from threats.models import Edition

#: How many words of a narrative the summary quotes when no action names the gap.
WHY_WORDS = 40


@dataclass(frozen=True)
class Previous:
    """The previous period's latest published revision of the same force: what the change is measured
    against (its snapshot's SHA-256 is part of the report's input hash)."""

    assessment: Assessment

    @property
    def sha256(self) -> str:
        try:
            return self.assessment.snapshot.sha256
        except Snapshot.DoesNotExist:
            return ""

    def content(self) -> AssessmentContent | None:
        try:
            return content_of(self.assessment.snapshot.payload)
        except Snapshot.DoesNotExist:
            return None


def previous_published(assessment: Assessment) -> Previous | None:
    """One query: the force's latest published revision for the period before this one."""
    found = (
        Assessment.objects.filter(
            force_id=assessment.force_id,
            period=previous_period(assessment.period),
            status=AssessmentStatus.PUBLISHED,
        )
        .select_related("snapshot", "edition")
        .order_by("-revision", "-id")
        .first()
    )
    return Previous(found) if found is not None else None


def as_of_date(content: AssessmentContent, frozen: bool, today: dt.date) -> dt.date:
    """The day "overdue" is counted at: a published report, the day it was published (its records
    are frozen then, so an action completed since cannot show); any other, the day it is built."""
    published_at = content.assessment.sign_off.published_at
    if frozen and published_at is not None:
        return timezone.localtime(published_at).date() if timezone.is_aware(published_at) else published_at.date()
    return today


def _truncate(text: str, words: int = WHY_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def executive_summary(
    *,
    content: AssessmentContent,
    levels: list,
    wording: dict,
    as_of: dt.date,
    previous: Previous | None,
    who,
) -> dict:
    """The summary page's context. `levels` is the edition's judgement scale in order; `wording` the
    requirement records by ref; `who` names a Person as the report does."""
    by_code = {level.code: level for level in levels}
    scored = [level.score for level in levels if level.score is not None]
    best = max(scored) if scored else None
    gaps: dict[str, list[str]] = {}
    for action in content.actions:
        if action.gap:
            gaps.setdefault(action.requirement, []).append(action.gap)

    not_assured = []
    unassessed = 0
    for response in content.responses:
        level = by_code.get(response.judgement)
        if level is None or level.score is None:
            unassessed += 1
            continue
        if best is not None and level.score < best:
            requirement = wording.get(response.ref)
            why = "; ".join(gaps.get(response.ref, [])) or _truncate(response.narrative)
            not_assured.append(
                {
                    "ref": response.ref,
                    "text": _truncate(requirement.text if requirement else "", 30),
                    "judgement": response.judgement_label,
                    "colour": safe_colour(level.colour),
                    "score": level.score,
                    "why": why or _("No gap or narrative recorded."),
                }
            )
    not_assured.sort(key=lambda row: row["score"])

    overdue = []
    for action in content.actions:
        if action.status in OPEN_ACTION_STATUSES and action.due_date < as_of:
            overdue.append(
                {
                    "ref": action.requirement,
                    "name": action.description or action.gap,
                    "gap": action.gap,
                    "owner": action.owner,
                    "due_date": govuk_date_text(action.due_date),
                    "days_overdue": _days((as_of - action.due_date).days),
                    "days": (as_of - action.due_date).days,
                }
            )
    overdue.sort(key=lambda row: -row["days"])

    departures = [
        {
            "ref": d.requirement,
            "party": choice_label(DepartingParty, d.departing_party),
            "residual_risk": d.residual_risk,
            "review_date": govuk_date_text(d.review_date),
        }
        for d in content.departures
        if d.status == DepartureStatus.LIVE
    ]

    signed_off_at = content.assessment.sign_off.signed_off_at
    open_challenges = []
    for c in content.challenges:
        if signed_off_at is not None:
            still_open = c.raised_at <= signed_off_at and (c.closed_at is None or c.closed_at > signed_off_at)
        else:
            still_open = c.status != ChallengeStatus.CLOSED
        if still_open:
            open_challenges.append(
                {
                    "ref": c.requirement or _("The whole assessment"),
                    "text": _truncate(c.text),
                    "raised_by": who(c.raised_by),
                    "raised_at": govuk_date_text(c.raised_at),
                    "replies": len(c.replies),
                }
            )

    return {
        "not_assured": not_assured,
        "unassessed": unassessed,
        "overdue": overdue,
        "as_of": govuk_date_text(as_of),
        "live": departures,
        "open_challenges": open_challenges,
        "challenges_when": _("at sign-off") if signed_off_at is not None else _("now (not signed off yet)"),
        "change": change_since(content=content, previous=previous, by_code=by_code, wording=wording),
    }


def change_since(*, content: AssessmentContent, previous: Previous | None, by_code: dict, wording: dict) -> dict:
    """Judgements up and down against the previous period's published assessment, by requirement."""
    period = previous_period(content.assessment.period)
    if previous is None:
        reason = _("No assessment was published for %(period)s.") % {"period": period}
        return {"period": period, "compared": False, "reason": reason}
    before = previous.content()
    if before is None:
        reason = _("The %(period)s assessment has no published record.") % {"period": period}
        return {"period": period, "compared": False, "reason": reason}
    was = {r.ref: r for r in before.responses}
    across, changes = None, 0
    if before.assessment.edition.code != content.assessment.edition.code:
        found = _same_meaning_refs(later=content.assessment.edition.code, earlier=before.assessment.edition.code)
        if found is None:
            return {
                "period": period,
                "compared": False,
                "reason": _("%(period)s was assessed against %(edition)s, so judgements are not compared one by one.")
                % {"period": period, "edition": before.assessment.edition.title},
            }
        continues, changes = found
        across = before.assessment.edition.title
        # Through the mapping: each requirement against the earlier ones it continues with the same
        # meaning (the lowest of them, for a merge); the others count as new.
        was = {
            ref: min(
                (was[old] for old in olds if old in was),
                key=lambda r: (by_code[r.judgement].score if r.judgement in by_code else None) or 0,
                default=None,
            )
            for ref, olds in continues.items()
        }
    better, worse, same, new = [], [], 0, 0
    for response in content.responses:
        old = was.get(response.ref)
        now_level, old_level = by_code.get(response.judgement), by_code.get(old.judgement) if old else None
        now_score = now_level.score if now_level else None
        old_score = old_level.score if old_level else None
        if old is None or old_score is None:
            new += now_score is not None
            continue
        if now_score is None or now_score == old_score:
            same += now_score is not None
            continue
        row = {
            "ref": response.ref,
            "text": _truncate(wording[response.ref].text if response.ref in wording else "", 20),
            "was": old.judgement_label,
            "now": response.judgement_label,
        }
        (better if now_score > old_score else worse).append(row)
    return {
        "period": period,
        "compared": True,
        "revision": before.assessment.revision,
        "published_at": govuk_date_text(before.assessment.sign_off.published_at),
        "better": better,
        "worse": worse,
        "same": same,
        "new": new,
        "across": across,
        "changes": changes,  # edition changes between the two periods (0: same edition)
    }


def _same_meaning_refs(*, later: str, earlier: str) -> tuple[dict[str, list[str]], int] | None:
    """({ref of `later`: refs of `earlier` it continues with the same meaning, at every change between
    them}, how many edition changes lie between them), or None if `later` does not follow `earlier`
    (directly or through other editions). Both editions are published, so this never changes. Four
    queries."""
    edition = Edition.objects.filter(code=later).first()
    if edition is None:
        return None
    chain = edition_chain(edition)
    codes = [row.code for row in chain]
    if earlier not in codes[1:]:
        return None
    lineage = Lineage.of(chain[: codes.index(earlier) + 1])
    oldest = chain[codes.index(earlier)].pk
    pairs = [
        (new_id, old_id)
        for old_id, (edition_id, _) in lineage.earlier.items()
        if edition_id == oldest
        for new_id, same in lineage.links.get(old_id, ())
        if same
    ]
    refs = dict(Requirement.objects.filter(id__in={pk for pair in pairs for pk in pair}).values_list("id", "ref"))
    continues: dict[str, list[str]] = {}
    for new_id, old_id in sorted(pairs, key=lambda pair: lineage.earlier[pair[1]][1]):
        continues.setdefault(refs[new_id], []).append(refs[old_id])
    return continues, codes.index(earlier)
