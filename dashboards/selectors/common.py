"""What the chief constable's dashboard and the national view share: the latest visible assessments,
the default edition and period, tag colours, the change since the previous period and the trends."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from assessments.matrix import CROSS_CUTTING, Cell, Layout
from assessments.models import (
    Assessment,
)
from capabilities.editions.lineage import Lineage
from threats.models import Edition, EditionStatus, JudgementLevel

#: How many rows a dashboard list shows before it says "and N more".
LIST_LIMIT = 25
#: Trends cover this many of the latest periods: a readable chart, and work that does not grow with
#: the years of history kept.
TREND_PERIODS = 5


# --- Shared building blocks --------------------------------------------------------------------------


def latest_visible(user) -> QuerySet[Assessment]:
    """The assessments the user may see, keeping only the latest revision *they can see* of each
    force's edition and period (an inspector keeps reading revision 1 while revision 2 is a draft)."""
    visible = Assessment.objects.visible_to(user)
    newer = visible.filter(
        force_id=OuterRef("force_id"),
        edition_id=OuterRef("edition_id"),
        period=OuterRef("period"),
        revision__gt=OuterRef("revision"),
    )
    return visible.filter(~Exists(newer))


def default_edition(user) -> Edition | None:
    """The edition in force (the newest, if several), else the newest of any status."""
    editions = Edition.objects.visible_to(user)
    return (
        editions.filter(status=EditionStatus.IN_FORCE).order_by("-published_on").first()
        or editions.order_by("-published_on").first()
    )


def top_level_ids(layout: Layout) -> set[int]:
    """The judgement levels that count as "assured": those with the scale's highest score."""
    scores = [level.score for level in layout.levels.values() if level.score is not None]
    best = max(scores, default=None)
    return {level.id for level in layout.levels.values() if best is not None and level.score == best}


def requirements_by(layout: Layout) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Requirement ids per threat code and per area code, from the layout's cells (a cross-cutting
    band's requirements count towards every threat, as they serve them all)."""
    by_threat: dict[str, set[int]] = {threat.code: set() for threat in layout.threats}
    by_area: dict[str, set[int]] = {area.code: set() for area in layout.areas}
    for (threat, area), ids in layout.cells.items():
        for code in by_threat if threat == CROSS_CUTTING else (threat,):
            by_threat[code].update(ids)
        by_area[area].update(ids)
    return by_threat, by_area


def tag_class(colour: str) -> str:
    """The GOV.UK tag modifier for a scale colour, as includes/tag.html chooses it."""
    if colour == "turquoise":
        return "govuk-tag--teal"
    return f"govuk-tag--{colour}" if colour and colour != "blue" else ""


def short_label(label: str) -> str:
    """A cell's label in initials ("Partially assured" → "PA") for the wide national table; the full
    label is always beside it for screen readers and in the key."""
    return "".join(word[0] for word in label.split() if word[:1].isalpha()).upper() or label


# --- Comparing across an edition change -------------------------------------------------------------


@dataclass
class Crossing:
    """How earlier editions' answers read in a later edition's layout: each earlier requirement that
    a later one continues *with the same meaning* through every mapping between them (the mappings'
    word, never a guess: capabilities.editions.lineage), and each earlier judgement level whose code
    the later scale shares. Two queries, however many editions the chain holds."""

    chain: list[Edition]  # the later edition, the one it follows, ... back to the oldest read
    requirements: dict[int, list[int]]  # earlier requirement id -> later requirement ids
    level_codes: dict[int, str]  # judgement level id -> code, of the earlier editions

    @classmethod
    def along(cls, chain: list[Edition]) -> Crossing:
        """Across the changes of `chain` (capabilities.editions.lineage.edition_chain, cut at the
        oldest edition read)."""
        requirements = Lineage.of(chain).same_meaning()
        codes = dict(JudgementLevel.objects.filter(edition_id__in=[e.pk for e in chain[1:]]).values_list("id", "code"))
        return cls(chain=chain, requirements=requirements, level_codes=codes)

    def rows(self, rows, later_levels: dict[int, object]) -> list[tuple[int, int, int]]:
        """(assessment, requirement, level) rows of the earlier edition as rows of the later one."""
        by_code = {level.code: level_id for level_id, level in later_levels.items()}
        out = []
        for assessment_id, requirement_id, level_id in rows:
            level = by_code.get(self.level_codes.get(level_id))
            if level is None:
                continue
            for new_id in self.requirements.get(requirement_id, ()):
                out.append((assessment_id, new_id, level))
        return out


@dataclass(frozen=True)
class EditionBreak:
    """Where the periods shown change edition: from `first_period` assessments use `later`, before
    it `earlier`."""

    earlier: Edition
    later: Edition
    first_period: str


def edition_breaks(periods: list[tuple[str, Edition]]) -> list[EditionBreak]:
    """The changes of edition in (period, edition) pairs, oldest first."""
    breaks, before = [], None
    for period, edition in sorted(periods, key=lambda pair: pair[0]):
        if before is not None and edition.pk != before.pk:
            breaks.append(EditionBreak(earlier=before, later=edition, first_period=period))
        before = edition
    return breaks


# --- Change since the previous period --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    code: str  # better, worse, same, new, none
    text: str


#: A cell none of whose requirements continues one of the previous period's edition with the same
#: meaning: there is nothing to compare it with.
NOT_COMPARABLE = Change("none", _("Not compared: new or changed in meaning at the edition change"))


def change_between(now: Cell, before: Cell | None) -> Change:
    """Better / worse / the same, in words, comparing the cells' lowest judgements."""
    if before is None:
        return Change("none", "No previous period")
    if now.score is None or before.score is None:
        if now.score is None and before.score is None:
            return Change("same", "Same: not yet assessed in either period")
        if now.score is None:
            return Change("none", f"Not yet assessed now; was {before.label.lower()}")
        return Change("new", "Newly judged; was not yet assessed")
    if now.score > before.score:
        return Change("better", f"Better: was {before.label.lower()}")
    if now.score < before.score:
        return Change("worse", f"Worse: was {before.label.lower()}")
    return Change("same", "Same as the previous period")


# --- Trends ------------------------------------------------------------------------------------------


@dataclass
class TrendSeries:
    """One threat's or area's share of assured requirements, per period (None: no assessment)."""

    code: str
    name: str
    values: list[float | None]


@dataclass
class Trends:
    periods: list[str]
    by_threat: list[TrendSeries]
    by_area: list[TrendSeries]

    @property
    def is_empty(self) -> bool:
        return not self.periods


def build_trends(layout: Layout, periods: list[str], counts: dict[str, dict[int, tuple[int, int]]]) -> Trends:
    """Shares from `counts[period][requirement_id] = (assured, answered)`."""
    by_threat, by_area = requirements_by(layout)

    def series(code: str, name: str, ids: set[int]) -> TrendSeries:
        values = []
        for period in periods:
            assured = sum(counts[period].get(rid, (0, 0))[0] for rid in ids)
            total = sum(counts[period].get(rid, (0, 0))[1] for rid in ids)
            values.append(assured / total if total else None)
        return TrendSeries(code, name, values)

    return Trends(
        periods=periods,
        by_threat=[series(t.code, t.name, by_threat[t.code]) for t in layout.threats],
        by_area=[series(a.code, a.name, by_area[a.code]) for a in layout.areas],
    )
