"""Reading answers across several edition changes: an edition, the one it follows, the one that one
follows, and so on, and which earlier requirements each of its requirements continues through every
mapping between them.

One mapping links an edition to the edition it follows. Across two changes (2012 → fixture →
fixture-2) the links are composed: a requirement of the latest edition continues the requirements of
the middle one it was mapped to, and through them the oldest ones they were mapped to. It *means the
same* as an old requirement only when every mapping on the way says so; a merge or a split anywhere
on the way makes it a different requirement for judgements, though its written answers still carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from capabilities.models import RequirementMapping
from threats.models import Edition


def edition_chain(edition: Edition, *, upto: int | None = None) -> list[Edition]:
    """`edition`, then the edition it follows, then that one's, ... (oldest last; at most `upto`
    editions). One query, however long the chain (editions are few); none for an edition that
    follows no other."""
    if edition.follows_id is None or upto == 1:
        return [edition]
    rows = {
        row.pk: row
        for row in Edition.objects.only("id", "code", "title", "published_on", "effective_from", "status", "follows_id")
    }
    chain, seen = [edition], {edition.pk}
    follows = edition.follows_id
    while follows is not None and follows in rows and follows not in seen and (upto is None or len(chain) < upto):
        chain.append(rows[follows])
        seen.add(follows)
        follows = rows[follows].follows_id
    return chain


@dataclass
class Lineage:
    """Every earlier requirement of the chain that a requirement of `chain[0]` continues.

    `links[earlier id]` is a list of (later id, same meaning all the way); requirement ids are unique
    across editions, so the earlier ones of every edition of the chain share one dictionary."""

    chain: list[Edition]
    links: dict[int, list[tuple[int, bool]]]
    earlier: dict[int, tuple[int, int]]  # earlier requirement id -> (its edition id, its position)

    @classmethod
    def of(cls, chain: list[Edition]) -> Lineage:
        """The lineage along `chain` (from `edition_chain`). One query (none for a chain of one)."""
        if len(chain) < 2:
            return cls(chain=chain, links={}, earlier={})
        rows = RequirementMapping.previous.through.objects.filter(
            requirementmapping__requirement__edition_id__in=[edition.pk for edition in chain[:-1]]
        ).values_list(
            "requirementmapping__requirement__edition_id",
            "requirementmapping__requirement_id",
            "requirementmapping__same_meaning",
            "requirement_id",
            "requirement__edition_id",
            "requirement__position",
        )
        # Per edition of the chain: its requirement id -> [(the previous edition's id, same meaning)].
        steps: dict[int, dict[int, list[tuple[int, bool]]]] = {}
        earlier: dict[int, tuple[int, int]] = {}
        for edition_id, new_id, same, old_id, old_edition_id, position in rows:
            steps.setdefault(edition_id, {}).setdefault(new_id, []).append((old_id, same))
            earlier[old_id] = (old_edition_id, position)
        links: dict[int, list[tuple[int, bool]]] = {}
        # Walk down the chain: `reach` says which requirements of the latest edition continue each
        # requirement of the edition reached so far, and whether they mean the same.
        reach: dict[int, list[tuple[int, bool]]] | None = None
        for edition in chain[:-1]:
            step = steps.get(edition.pk, {})
            nearer: dict[int, dict[int, bool]] = {}
            for new_id, olds in step.items():
                latest = [(new_id, True)] if reach is None else reach.get(new_id, [])
                for old_id, same in olds:
                    for latest_id, same_so_far in latest:
                        # Reached twice (a split then a merge): it means the same only if both ways do.
                        found = nearer.setdefault(old_id, {})
                        found[latest_id] = found.get(latest_id, True) and same and same_so_far
            reach = {old_id: list(later.items()) for old_id, later in nearer.items()}
            links.update(reach)
        return cls(chain=chain, links=links, earlier=earlier)

    def continued_by(self, edition: Edition) -> dict[int, tuple[list[int], bool]]:
        """{latest requirement id: ([the requirement ids of `edition`, one of the chain, it continues,
        in that edition's order], same meaning for every one of them)}."""
        out: dict[int, tuple[list[int], bool]] = {}
        of_edition = [pk for pk, (edition_id, _) in self.earlier.items() if edition_id == edition.pk]
        for old_id in sorted(of_edition, key=lambda pk: self.earlier[pk][1]):
            for new_id, same in self.links.get(old_id, ()):
                olds, same_so_far = out.get(new_id, ([], True))
                if old_id not in olds:
                    olds.append(old_id)
                out[new_id] = (olds, same_so_far and same)
        return out

    def same_meaning(self) -> dict[int, list[int]]:
        """{earlier requirement id: the latest requirement ids that mean the same}."""
        out: dict[int, list[int]] = {}
        for old_id, later in self.links.items():
            same = [new_id for new_id, is_same in later if is_same]
            if same:
                out[old_id] = same
        return out
