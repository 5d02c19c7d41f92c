"""Writes for forces: loading the reference data shipped in data/."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from forces.models import BodyType, Force, PolicingBody, Region

NO_ROCU_PREFIX = "none"


@dataclass(frozen=True)
class LoadResult:
    forces: int
    regions: int
    policing_bodies: int


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def forces_load(*, data_dir: Path | None = None) -> LoadResult:
    """Load forces, regions, ROCUs and policing bodies from the CSV files; idempotent.

    Rows are matched on force code, so a second load changes nothing and an edited file updates
    the rows in place. Everything happens in one transaction: a bad row loads nothing.
    """
    data_dir = data_dir or settings.SPR_DATA_DIR
    forces = _read(data_dir / "forces.csv")
    rocus = {row["code"]: row["rocu"] for row in _read(data_dir / "forces_rocu.csv")}
    dates = {row["code"]: row for row in _read(data_dir / "policing_body_dates.csv")}

    for row in forces:
        region, _ = Region.objects.update_or_create(code=slugify(row["region"]), defaults={"name": row["region"]})
        rocu = rocus.get(row["code"], "")
        rocu_note = ""
        if rocu.lower().startswith(NO_ROCU_PREFIX):
            rocu, rocu_note = "", rocu.partition("(")[2].rstrip(")")
        force, _ = Force.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region": region,
                "home_office": row["home_office"].strip().lower() == "true",
                "rocu": rocu,
                "rocu_note": rocu_note,
            },
        )
        body_type = row["policing_body_type"]
        if body_type not in BodyType.values:
            raise ValueError(f"forces.csv: {row['code']} has unknown policing body type {body_type!r}")
        history = dates.get(row["code"], {})
        if history.get("predecessor"):
            if not history.get("predecessor_to"):
                raise ValueError(f"policing_body_dates.csv: {row['code']} names a predecessor without an end date")
            PolicingBody.objects.update_or_create(
                force=force,
                name=history["predecessor"],
                defaults={
                    "body_type": history["predecessor_type"],
                    "effective_from": _date(history["predecessor_from"]),
                    "effective_to": _date(history["predecessor_to"]),
                },
            )
        PolicingBody.objects.update_or_create(
            force=force,
            effective_to=None,
            defaults={
                "name": row["policing_body"],
                "body_type": body_type,
                "effective_from": _date(history.get("effective_from", "")),
            },
        )
    return LoadResult(
        forces=Force.objects.count(), regions=Region.objects.count(), policing_bodies=PolicingBody.objects.count()
    )
