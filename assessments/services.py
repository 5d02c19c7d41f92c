"""Every write to assessments, responses, evidence, departures and actions.

Services take keyword-only arguments and the acting user, check permission, validate, and write in
one transaction. Pages and the API call the same functions, so they cannot disagree.

Past 400 lines on purpose: every write here shares the same editability check, row lock and history
step (`_require_editable`, `_save_with_history`), and the concurrency test patches them on this
module; split into a package, each part would import them back and the patch points would move.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import capfirst

from assessments import sharing
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Assessment,
    Departure,
    DepartureStatus,
    Evidence,
    EvidenceKind,
    Response,
    ScanStatus,
)
from assessments.permissions import (
    can_create_assessment,
    can_edit_assessment,
    can_manage_evidence,
    can_manage_force_records,
)
from assessments.records import ANSWER_TEXT_FIELDS, ResponseAnswer
from capabilities.editions.lineage import Lineage, edition_chain
from capabilities.editions.mapping import edition_in_force
from capabilities.models import Requirement
from collaboration.models import Agreement
from core import antivirus, history
from core.audit import bulk_create_audited, bulk_insert_audited
from core.exceptions import Conflict
from core.forms.govuk import WEB_ADDRESS_ERROR, validate_web_address
from core.people import display_name
from core.periods import period_start, previous_period, validate_period
from core.querysets import prefetched_ids
from core.uploads import check_upload
from forces.models import Force
from threats.models import Edition, JudgementLevel
from threats.scales import judgement_level

security_log = logging.getLogger("spr.security")


class StaleVersion(Exception):
    """A save named a version older than the stored one; `current` is the stored response."""

    def __init__(self, current: Response):
        super().__init__(f"Response {current.pk} is at version {current.version}")
        self.current = current


def unassessed_level(edition: Edition) -> JudgementLevel:
    """The edition's "not yet assessed" value: the first level of its scale without a score."""
    level = edition.judgement_levels.filter(score__isnull=True).order_by("position").first()
    if level is None:
        raise ValidationError(f"The {edition.code} scale has no 'not yet assessed' value")
    return level


def _save_with_history(instance, user, **m2m) -> None:
    """Save `instance` and its many-to-many values as ONE history entry where the row exists.

    django-simple-history writes an entry per save and per m2m change; setting the m2m values quietly
    first and saving last records the whole edit once. A new row needs a primary key before its m2m
    values, so it gets a "created" entry, then one for the links.
    """
    instance._history_user = user
    if instance.pk is None:
        instance.save()
        for name, values in m2m.items():
            if values is not None:
                getattr(instance, name).set(values)
        return
    instance.skip_history_when_saving = True
    try:
        for name, values in m2m.items():
            if values is None:
                continue
            if name in getattr(history.held_state(instance), "links", {}):
                history.replace_links(instance, name, values)
            else:
                getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    try:
        instance.save()
    finally:
        held = history.held_state(instance)
        history.release(instance)
    if held is not None:
        # What the links are now (held, or read back by the history): the caller's answer needs no query.
        for name, ids in held.after_ids.items():
            prefetched_ids(instance, name, ids)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


#: Set, for the length of the check, on an assessment just read with FOR UPDATE (`_lock_response`).
_LOCKED = "_spr_locked"


def _require_editable(user, assessment: Assessment) -> None:
    """Lock the assessment row (so a transition cannot slip in) and check it is an editable draft. An
    assessment just read under lock (`_require_editable_locked`) is checked as it is."""
    if getattr(assessment, _LOCKED, False):
        locked = assessment
    else:
        locked = Assessment.objects.select_for_update().only("id", "status", "force_id").get(pk=assessment.pk)
    if not locked.is_editable:
        _require(
            can_manage_force_records(user, locked.force_id) or locked.is_frozen, "You cannot change this assessment"
        )
        raise Conflict(
            f"This assessment is {locked.get_status_display().lower()}, so it cannot be changed"
            + (". Start a revision to change it." if locked.is_frozen else ". Ask for it to be returned for changes.")
        )
    _require(can_edit_assessment(user, locked), "You cannot change this assessment")


@transaction.atomic
def assessment_create(
    *,
    user,
    force: Force,
    edition: Edition | None = None,
    period: str,
    start_from_previous: bool = False,
    keep_judgements: bool = False,
) -> Assessment:
    """Create a draft assessment with one response per requirement of the edition: the one given, or
    else the edition in force on the period's first day (`edition_in_force`). Draft editions are
    refused.

    With `start_from_previous`, the previous period's latest assessment (against this edition or the
    one it follows) gives each response its narrative and evidence (and judgement, if
    `keep_judgements`), and its open actions and live departures are copied into the new draft;
    across an edition change they go through the edition's mapping (`populate_from`). Raises
    ValidationError if one exists already or there is no previous period to start from.
    """
    _require(can_create_assessment(user, force), "You cannot create assessments for this force")
    validate_period(period)
    if edition is None:
        edition = edition_in_force(on=period_start(period))
        if edition is None:
            raise ValidationError({"edition": f"No SPR edition is in force on {period_start(period):%-d %B %Y}"})
    if edition.is_draft:
        raise ValidationError({"edition": "Select a published SPR edition"})
    if Assessment.objects.filter(force=force, edition=edition, period=period).exists():
        raise ValidationError({"period": f"{force.name} already has an assessment for {period}"})
    source = None
    if start_from_previous:
        # This edition's first, then the one it follows (the period before an edition change), and
        # so on down the line (a force that skipped an edition).
        candidates = [row.pk for row in edition_chain(edition)]
        found = list(
            Assessment.objects.filter(force=force, edition_id__in=candidates, period=previous_period(period)).order_by(
                "-revision"
            )
        )
        found.sort(key=lambda a: candidates.index(a.edition_id))
        source = found[0] if found else None
        if source is None:
            raise ValidationError(
                {"start_from_previous": f"There is no {previous_period(period)} assessment to start from"}
            )

    assessment = Assessment(force=force, edition=edition, period=period, created_by=user, started_from=source)
    assessment.full_clean()
    assessment._history_user = user
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError({"period": f"{force.name} already has an assessment for {period}"}) from None

    if source is None:
        _create_responses(assessment=assessment, user=user)
    else:
        populate_from(source=source, target=assessment, user=user, keep_judgements=keep_judgements)
    return assessment


def _create_responses(
    *, assessment: Assessment, user, carried: dict[int, Response] | None = None, keep_judgements: bool = False
) -> dict[int, int]:
    """One response per requirement of the edition, each with its history record and audit entry,
    written column by column (core.audit.bulk_insert_audited): an edition of 1,209 requirements took
    most of a second through bulk_create_with_history and audit_bulk_written.

    A requirement found in `carried` (requirement id -> an earlier assessment's response) starts with
    that response's written answer (records.ANSWER_TEXT_FIELDS: its narrative...), its owner if they
    are still an active member of the force, and its judgement if `keep_judgements`; the others start
    blank. Answers {requirement id: new response id}.
    """
    carried = carried or {}
    blank = unassessed_level(assessment.edition)
    requirements = list(assessment.edition.requirements.order_by("position").values_list("id", "ref"))
    count = len(requirements)
    now = timezone.now()
    earlier = [carried.get(requirement_id) for requirement_id, _ in requirements]
    # An owner carries over while they are still an active member of the force.
    owners = {old.owner_id for old in earlier if old and old.owner_id}
    members = (
        set(
            get_user_model()
            .objects.filter(pk__in=owners, is_active=True, memberships__force_id=assessment.force_id)
            .values_list("pk", flat=True)
        )
        if owners
        else set()
    )
    written = {}
    for name in ANSWER_TEXT_FIELDS:
        empty = Response._meta.get_field(name).get_default()
        written[name] = [getattr(old, name) if old else empty for old in earlier]
    ids = bulk_insert_audited(
        Response,
        {
            "assessment_id": [assessment.pk] * count,
            "requirement_id": [requirement_id for requirement_id, _ in requirements],
            "judgement_id": [old.judgement_id if old and keep_judgements else blank.pk for old in earlier],
            **written,
            "owner_id": [old.owner_id if old and old.owner_id in members else None for old in earlier],
            "version": [1] * count,
            "updated_at": [now] * count,
            "updated_by_id": [user.pk] * count,
        },
        user=user,
        at=now,
        object_reprs=[Response.label_for(assessment, ref) for _, ref in requirements],
        force_id=assessment.force_id,
    )
    return {requirement_id: new_id for (requirement_id, _), new_id in zip(requirements, ids, strict=True)}


class _Carried:
    """An answer carried into a new edition's requirement from one or several earlier ones."""

    def __init__(self, judgement_id, owner_id=None, **texts):
        self.judgement_id = judgement_id
        self.owner_id = owner_id  # the first earlier requirement's owner (merged ones may have several)
        self.__dict__.update(texts)


def _edition_links(source: Assessment, target: Assessment) -> dict[int, tuple[list[int], bool]]:
    """{new requirement id: ([earlier requirement ids it continues], same meaning)} through every
    mapping from the source's edition to the target's (one, or several when the target's edition is
    further down the line: capabilities.editions.lineage). Two queries."""
    chain = edition_chain(target.edition)
    ids = [edition.pk for edition in chain]
    if source.edition_id not in ids:
        return {}
    lineage = Lineage.of(chain[: ids.index(source.edition_id) + 1])
    return lineage.continued_by(source.edition)


def _carried_across(
    source: Assessment, target: Assessment, previous: dict[int, Response], keep_judgements: bool
) -> tuple[dict[int, _Carried], dict[int, list[int]]]:
    """Answers for the target's requirements through the mapping: one earlier requirement gives its
    written answer; several (merged) give theirs joined, in the earlier edition's order. A judgement
    carries over only where the mapping says "same meaning", every earlier judgement agrees, and the
    new scale has a level with the same code. Also answers {new requirement id: earlier ids}."""
    links = _edition_links(source, target)
    old_levels = dict(JudgementLevel.objects.filter(edition=source.edition).values_list("id", "code"))
    new_levels = dict(JudgementLevel.objects.filter(edition=target.edition).values_list("code", "id"))
    blank = unassessed_level(target.edition).pk
    carried = {}
    for new_id, (old_ids, same_meaning) in links.items():
        answers = [previous[old_id] for old_id in old_ids if old_id in previous]
        if not answers:
            continue
        texts = {}
        for name in ANSWER_TEXT_FIELDS:
            values = [getattr(answer, name) for answer in answers if getattr(answer, name)]
            texts[name] = "\n\n".join(values) if len(values) > 1 else (values[0] if values else "")
        judgement = blank
        codes = {old_levels.get(answer.judgement_id) for answer in answers}
        if keep_judgements and same_meaning and len(codes) == 1:
            judgement = new_levels.get(codes.pop(), blank)
        owner_id = next((answer.owner_id for answer in answers if answer.owner_id), None)
        carried[new_id] = _Carried(judgement, owner_id=owner_id, **texts)
    return carried, {new_id: old_ids for new_id, (old_ids, _) in links.items()}


def populate_from(*, source: Assessment, target: Assessment, user, keep_judgements: bool) -> None:
    """Create `target`'s responses (it has none yet) from `source`'s answers: the written answer and
    evidence links (and judgements if kept) for every requirement both share, blank for the rest; then
    copy its open actions and live departures.

    Across an edition change (`target`'s edition follows `source`'s) the answers go through the
    mapping (`_carried_across`): requirements that are new start blank, and actions and departures
    of a retired requirement are not carried."""
    if source.edition_id != target.edition_id:
        _populate_across(source=source, target=target, user=user, keep_judgements=keep_judgements)
        return
    previous = {
        response.requirement_id: response
        for response in source.responses.order_by().only(
            "id", "requirement_id", "judgement_id", "owner_id", *ANSWER_TEXT_FIELDS
        )
    }
    created = _create_responses(assessment=target, user=user, carried=previous, keep_judgements=keep_judgements)
    through = Response.evidence.through
    links = through.objects.filter(response__assessment=source, response__requirement_id__in=list(created))
    through.objects.bulk_create(
        through(response_id=created[requirement_id], evidence_id=evidence_id)
        for requirement_id, evidence_id in links.values_list("response__requirement_id", "evidence_id")
    )
    _copy_open_actions(source=source, target=target, user=user)
    _copy_live_departures(source=source, target=target, user=user)


def _populate_across(*, source: Assessment, target: Assessment, user, keep_judgements: bool) -> None:
    previous = {
        response.requirement_id: response
        for response in source.responses.order_by().only("id", "requirement_id", "judgement_id", *ANSWER_TEXT_FIELDS)
    }
    carried, links = _carried_across(source, target, previous, keep_judgements)
    created = _create_responses(assessment=target, user=user, carried=carried, keep_judgements=True)
    # Earlier requirement -> the first new requirement that continues it (a split goes to each part
    # for evidence; actions and departures follow the first part).
    successors: dict[int, list[int]] = {}
    for new_id, old_ids in links.items():
        for old_id in old_ids:
            successors.setdefault(old_id, []).append(new_id)
    through = Response.evidence.through
    links_before = through.objects.filter(response__assessment=source).values_list(
        "response__requirement_id", "evidence_id"
    )
    wanted = {
        (created[new_id], evidence_id)
        for old_id, evidence_id in links_before
        for new_id in successors.get(old_id, [])
        if new_id in created
    }
    through.objects.bulk_create(
        through(response_id=response_id, evidence_id=evidence_id) for response_id, evidence_id in sorted(wanted)
    )
    moved = {old_id: new_ids[0] for old_id, new_ids in successors.items()}
    _copy_open_actions(source=source, target=target, user=user, requirement_map=moved)
    _copy_live_departures(source=source, target=target, user=user, requirement_map=moved)


def _copy_open_actions(*, source: Assessment, target: Assessment, user, requirement_map=None) -> None:
    """Copy open actions; with `requirement_map` (earlier requirement id -> new one), onto the new
    edition's requirement, leaving out those whose requirement was retired."""
    copies = [
        Action(
            assessment=target,
            requirement_id=requirement_map[action.requirement_id]
            if requirement_map is not None
            else action.requirement_id,
            gap=action.gap,
            description=action.description,
            owner=action.owner,
            owner_user_id=action.owner_user_id,
            due_date=action.due_date,
            status=action.status,
            created_by=user,
        )
        for action in source.actions.filter(status__in=OPEN_ACTION_STATUSES)
        if requirement_map is None or action.requirement_id in requirement_map
    ]
    bulk_create_audited(Action, copies, user=user)


def _copy_live_departures(*, source: Assessment, target: Assessment, user, requirement_map=None) -> None:
    for departure in source.departures.filter(status=DepartureStatus.LIVE).prefetch_related("evidence"):
        if requirement_map is not None and departure.requirement_id not in requirement_map:
            continue
        copy = Departure(
            assessment=target,
            created_by=user,
            requirement_id=(
                requirement_map[departure.requirement_id] if requirement_map is not None else departure.requirement_id
            ),
            **{field: getattr(departure, field) for field in DEPARTURE_FIELDS},
        )
        _save_with_history(copy, user, evidence=list(departure.evidence.all()))


class _LinkedIds:
    """The ids of the evidence a record cites, read only if asked for (most saves never need them)."""

    def __init__(self, manager):
        self._manager = manager

    def __iter__(self):
        return iter(self._manager.values_list("id", flat=True))


def _evidence_for(force_id: int, evidence_ids: Iterable[int], *, linked: Iterable[int] = ()) -> list[Evidence]:
    """The evidence items with these ids that the force may cite: its own, those another force
    shares with it now, and those already `linked` (a link made while an item was shared stays after
    the owner withdraws sharing). Any other id is refused (it may not exist or belong to another
    force — the message does not say which)."""
    wanted = {int(value) for value in evidence_ids}
    found = list(Evidence.objects.of_forces([force_id]).filter(id__in=wanted))
    missing = wanted - {item.id for item in found}
    if missing:  # no longer shared, but cited while it was: the link may stay
        found += list(Evidence.objects.filter(id__in=missing & set(linked)))
        missing = wanted - {item.id for item in found}
    if missing:
        raise ValidationError({"evidence": "Choose evidence from your force's library"})
    return found


#: `owner=UNCHANGED` (the default) leaves a response's owner as it is; None takes it away.
UNCHANGED = object()

NOT_A_MEMBER = "Choose someone who works for {force}"


def force_member(force: Force, person) -> object:
    """The active user who is `person` (a user or a user's id) and a member of `force`, with their
    profile; ValidationError otherwise (another force's person, or no such person: the message does
    not say which)."""
    person_id = getattr(person, "pk", person)
    found = None
    if isinstance(person_id, int) and not isinstance(person_id, bool):
        found = (
            get_user_model()
            .objects.filter(pk=person_id, is_active=True, memberships__force_id=force.pk)
            .select_related("profile")
            .first()
        )
    if found is None:
        raise ValidationError(NOT_A_MEMBER.format(force=force.name))
    return found


def _owner_of(force: Force, person, field: str):
    """`force_member`, its refusal said against `field`; None stays None (no owner)."""
    if person is None:
        return None
    try:
        return force_member(force, person)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def response_assign(*, user, response: Response, owner) -> Response:
    """Make `owner` (a user or a user's id; None for nobody) the owner of a response: a person of the
    assessment's force, while the assessment is an editable draft. The answer and its version are
    unchanged (an owner is not part of the answer), so nobody's open edit is made stale. Audited
    through the response's history.
    """
    current = _lock_response(response.pk)
    _require_editable_locked(user, current)
    current.owner = _owner_of(current.assessment.force, owner, "owner")
    _save_with_history(current, user)
    return current


def _lock_response(pk: int, *, among: QuerySet | None = None) -> Response:
    """The response `pk` and its assessment, both locked, in one statement, with what a save shows and
    checks (the force, the edition, the judgement, the requirement, the owner, the last editor) and
    its evidence links, which are held (`core.history.hold`) so the history and audit of the save read
    nothing back. The assessment is named first in FOR UPDATE OF, so PostgreSQL locks it before the
    response, in the order every other writer takes them (`_require_editable`): a save cannot deadlock
    with an import or a transition. `among` narrows the rows looked in (Response.DoesNotExist when it
    is not there). Must run inside the caller's transaction."""
    current = (
        (Response.objects.all() if among is None else among)
        .select_for_update(of=("assessment", "self"))
        .select_related(
            "assessment__force",
            "assessment__edition",
            "judgement",
            "requirement",
            "owner__profile",
            "updated_by__profile",
        )
        .annotate(link_pairs=_link_pairs())
        .filter(pk=pk)
        .order_by()  # one row: Response's default ordering would join the force and requirement to sort it
    )
    # Not .get(): a scoped queryset's get() records a miss as denied access, in this transaction.
    current = next(iter(current), None)
    if current is None:
        raise Response.DoesNotExist(f"No response {pk} here")
    links = []
    for pair in (current.link_pairs or "").split(","):
        if pair:
            link_id, evidence_id = pair.split(":")
            links.append({"id": int(link_id), "response_id": current.pk, "evidence_id": int(evidence_id)})
    history.hold(current, links={"evidence": sorted(links, key=lambda row: row["evidence_id"])})
    return current


class _Joined(Aggregate):
    """Text values joined by commas: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s, ',')")


def _link_pairs() -> Subquery:
    """The response's evidence links as "link id:evidence id" pairs joined by commas, read with the
    locked row itself (one statement less on every save than reading the links on their own)."""
    through = Response.evidence.through
    assert {f.attname for f in through._meta.fields} == {"id", "response_id", "evidence_id"}  # all a pair holds
    pair = Concat(Cast("id", CharField()), Value(":"), Cast("evidence_id", CharField()), output_field=CharField())
    joined = (
        through.objects.filter(response_id=OuterRef("pk"))
        .order_by()
        .values("response_id")
        .annotate(pairs=_Joined(pair))
        .values("pairs")
    )
    return Subquery(joined, output_field=CharField())


def _require_editable_locked(user, current: Response) -> None:
    """`_require_editable` for a response read by `_lock_response`: its assessment is already locked."""
    setattr(current.assessment, _LOCKED, True)
    try:
        _require_editable(user, current.assessment)
    finally:
        del current.assessment.__dict__[_LOCKED]


@transaction.atomic
def response_update(
    *, user, response: Response, expected_version: int, answer: ResponseAnswer, owner=UNCHANGED
) -> Response:
    """Save the answer to a response if it is still at `expected_version`; the version then rises by one.

    Fields of the answer left as None are unchanged. `owner` (a person of the force, their id, or None)
    assigns the response as `response_assign` does; given alone it leaves the version as it is.
    Raises StaleVersion (with the stored response) when someone else saved first, ValidationError for
    bad values, PermissionDenied for a user who may not edit. Nothing is written unless everything is
    valid.
    """
    return response_update_locked(
        user=user, current=_lock_response(response.pk), expected_version=expected_version, answer=answer, owner=owner
    )


def response_lock_visible(*, user, pk: int) -> Response | None:
    """The response `pk` if the user may see it, read and locked as a save needs it (`response_update_locked`
    then reads it no more), or None. For the API's PATCH, which finds the response it changes and
    locks it in one statement; must run inside the caller's transaction. None records nothing: the
    caller answers 404 by reading it through `visible_to` after the transaction, which records the
    denied access (a record written here would be rolled back with the transaction)."""
    try:
        return _lock_response(pk, among=Response.objects.visible_to(user))
    except Response.DoesNotExist:
        return None


def response_update_locked(
    *, user, current: Response, expected_version: int, answer: ResponseAnswer, owner=UNCHANGED
) -> Response:
    """`response_update` of a response already read under lock (`_lock_response`, `response_lock_visible`)
    in the caller's transaction."""
    _require_editable_locked(user, current)
    if current.version != expected_version:
        # The stored response as a reader is shown it (its evidence ids held): the 412 reads nothing more.
        links = history.held_state(current).before_ids["evidence"]
        history.release(current)
        prefetched_ids(current, "evidence", links)
        raise StaleVersion(current)
    errors = {}
    if answer.judgement is not None:
        level = judgement_level(current.assessment.edition, answer.judgement)
        if level is None:
            errors["judgement"] = "Choose a judgement from the scale"
        else:
            current.judgement = level
    for name in ANSWER_TEXT_FIELDS:
        value = getattr(answer, name)
        if value is None:
            continue
        # A TextField's max_length is not checked by clean_fields: the words are GDS's either way.
        model_field = Response._meta.get_field(name)
        if model_field.max_length is not None and len(value) > model_field.max_length:
            label = capfirst(model_field.verbose_name)
            errors[name] = f"{label} must be {model_field.max_length:,} characters or fewer"
        setattr(current, name, value)
    evidence = None
    if answer.evidence_ids is not None:
        try:
            evidence = _evidence_for(
                current.assessment.force_id, answer.evidence_ids, linked=_LinkedIds(current.evidence)
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if owner is not UNCHANGED:
        try:
            current.owner = _owner_of(current.assessment.force, owner, "owner")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if owner is UNCHANGED or any(getattr(answer, f.name) is not None for f in dataclasses.fields(answer)):
        current.version += 1
        current.updated_at = timezone.now()
        current.updated_by = user
    # Field rules and the edition check; the relations were just read under lock, and the version
    # and uniqueness constraints cannot be broken by this change, so no extra queries to re-prove them.
    current.clean_fields(exclude=["evidence", "assessment", "requirement", "judgement", "updated_by", "owner"])
    current.clean()
    _save_with_history(current, user, evidence=evidence)
    return current


def _clean_url(url: str) -> str:
    """An http(s) web address, or the GOV.UK error (never Django's "Enter a valid URL.")."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise ValidationError({"url": str(WEB_ADDRESS_ERROR)})
    try:
        validate_web_address(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    return url.strip()


@transaction.atomic
def evidence_create(
    *,
    user,
    force: Force,
    kind: str,
    title: str,
    owner: str,
    evidence_date: dt.date,
    description: str = "",
    review_by: dt.date | None = None,
    protective_marking: str | None = None,
    upload=None,
    url: str = "",
    reference: str = "",
    shared_with: Iterable[Force] = (),
    agreement: Agreement | None = None,
) -> Evidence:
    """Add an item to the force's evidence library: a checked file, a web link or a reference,
    shared at once (read-only) with `shared_with` forces and the parties of `agreement` if given.

    A file goes through `core.uploads.check_upload` (name, size, type against its extension, archive
    checks, and a synchronous virus scan when a scanner is configured) before anything is stored; its
    name is kept for display only and it is stored under a generated name with its SHA-256, size and
    scan state (clean, or not scanned when no scanner is configured).
    """
    _require(can_manage_evidence(user, force.id), "You cannot add evidence for this force")
    item = Evidence(
        force=force,
        kind=kind,
        title=title,
        owner=owner,
        evidence_date=evidence_date,
        description=description,
        review_by=review_by,
        created_by=user,
    )
    if protective_marking:
        item.protective_marking = protective_marking
    if kind == EvidenceKind.FILE:
        if upload is None:
            raise ValidationError({"upload": "Select a file"})
        try:
            checked = check_upload(upload, max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
        except ValidationError as exc:
            raise ValidationError({"upload": exc.messages}) from None
        item.original_name = checked.display_name
        item.content_type = checked.content_type
        item.size = checked.size
        item.sha256 = checked.sha256
        item.scan_status = checked.scan
    elif kind == EvidenceKind.LINK:
        item.url = _clean_url(url)
    elif kind == EvidenceKind.REFERENCE:
        if not reference.strip():
            raise ValidationError({"reference": "Enter the reference"})
        item.reference = reference.strip()
    else:
        raise ValidationError({"kind": "Choose whether the evidence is a file, a link or a reference"})
    if kind != EvidenceKind.FILE:
        item.scan_status = ""
    item.full_clean(exclude=["file", "sha256"])
    if kind == EvidenceKind.FILE:
        # Saving the file last means a refused item leaves no file behind.
        item.file.save("upload", upload, save=False)
    _save_with_history(item, user)
    shared_with = list(shared_with)
    if shared_with or agreement is not None:
        sharing.evidence_share(user=user, evidence=item, forces=shared_with, agreement=agreement)
    return item


def evidence_scan(*, evidence: Evidence) -> str:
    """Scan a stored file that is waiting for a scan (or was stored unscanned) and record the verdict:
    CLEAN releases it, INFECTED quarantines it for good (it is never served). The place an
    asynchronous scanner plugs in: uploads are scanned synchronously today, so only files stored
    before a scanner was configured need this (`manage.py scan_evidence`).

    Raises core.antivirus.ScannerUnavailable when no verdict could be had; the state is then unchanged.
    """
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        return evidence.scan_status
    with evidence.file.open("rb") as handle:
        verdict = antivirus.scan_file(handle)
    status = ScanStatus.INFECTED if verdict.infected else ScanStatus.CLEAN
    if verdict.infected:
        security_log.warning(
            "Evidence %s (%s, SHA-256 %s) failed a virus scan: %s; quarantined",
            evidence.pk,
            evidence.force.code,
            evidence.sha256,
            verdict.signature,
        )
    # Only the scan state changes, whatever else happened to the row meanwhile.
    Evidence.objects.filter(pk=evidence.pk).update(scan_status=status)
    evidence.scan_status = status
    return status


EVIDENCE_EDITABLE_FIELDS = ("title", "description", "owner", "evidence_date", "review_by", "protective_marking")


@transaction.atomic
def evidence_update(*, user, evidence: Evidence, **changes) -> Evidence:
    """Change an item's description fields (never its file, hash or force) and, given `shared_with`
    (forces) or `agreement`, replace its sharing (`sharing.evidence_sharing_set`; the one not given
    stays as it is)."""
    _require(can_manage_evidence(user, evidence.force_id), "You cannot change this evidence")
    sharing_changes = {name: changes.pop(name) for name in ("shared_with", "agreement") if name in changes}
    unknown = set(changes) - set(EVIDENCE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed"))
    if changes:
        for field, value in changes.items():
            setattr(evidence, field, value)
        evidence.full_clean(exclude=["file"])
        _save_with_history(evidence, user)
    if sharing_changes:
        forces = sharing_changes.get("shared_with")
        sharing.evidence_sharing_set(
            user=user,
            evidence=evidence,
            forces=list(evidence.shared_with.all()) if forces is None else forces,
            agreement=sharing_changes.get("agreement", evidence.agreement),
        )
    return evidence


DEPARTURE_FIELDS = (
    "departing_party",
    "circumstances",
    "reasons",
    "alternative_arrangements",
    "residual_risk",
    "review_date",
    "status",
)


def _requirement_of(assessment: Assessment, requirement: Requirement | str) -> Requirement:
    if isinstance(requirement, Requirement):
        if requirement.edition_id != assessment.edition_id:
            raise ValidationError({"requirement": "Choose a requirement of this edition"})
        return requirement
    found = Requirement.objects.filter(edition_id=assessment.edition_id, ref=requirement).first()
    if found is None:
        raise ValidationError({"requirement": "Choose a requirement of this edition"})
    return found


@transaction.atomic
def departure_save(
    *,
    user,
    assessment: Assessment,
    departure: Departure | None = None,
    requirement=None,
    evidence_ids: Iterable[int] | None = None,
    **fields,
) -> Departure:
    """Record a new departure (SPR §1.9) or change one; the assessment must be an editable draft."""
    _require_editable(user, assessment)
    unknown = set(fields) - set(DEPARTURE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set"))
    if departure is None:
        departure = Departure(assessment=assessment, created_by=user)
    elif departure.assessment_id != assessment.id:
        raise ValidationError("The departure belongs to another assessment")
    if requirement is not None:
        departure.requirement = _requirement_of(assessment, requirement)
    for field, value in fields.items():
        setattr(departure, field, value)
    linked = _LinkedIds(departure.evidence) if departure.pk else ()
    evidence = _evidence_for(assessment.force_id, evidence_ids, linked=linked) if evidence_ids is not None else None
    departure.full_clean()
    _save_with_history(departure, user, evidence=evidence)
    return departure


ACTION_FIELDS = ("gap", "description", "owner", "due_date", "status")


@transaction.atomic
def action_save(
    *,
    user,
    assessment: Assessment,
    action: Action | None = None,
    requirement=None,
    owner_user=UNCHANGED,
    **fields,
) -> Action:
    """Record a new action against a gap, or change one; the assessment must be an editable draft.

    `owner_user` (a person of the assessment's force, their id, or None) names its owner in the
    service; the free-text `owner` is then their name and job title, and is kept for someone outside
    the service when there is none. Anyone else, another force's people included, is refused.
    """
    _require_editable(user, assessment)
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set"))
    if action is None:
        action = Action(assessment=assessment, created_by=user, status=ActionStatus.OPEN)
    elif action.assessment_id != assessment.id:
        raise ValidationError("The action belongs to another assessment")
    if requirement is not None:
        action.requirement = _requirement_of(assessment, requirement)
    for field, value in fields.items():
        setattr(action, field, value)
    if owner_user is not UNCHANGED:
        action.owner_user = _owner_of(assessment.force, owner_user, "owner_user")
    if action.owner_user_id:
        action.owner = display_name(action.owner_user)[: Action._meta.get_field("owner").max_length]
    action.full_clean()
    _save_with_history(action, user)
    return action
