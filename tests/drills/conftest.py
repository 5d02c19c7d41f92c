"""The failure drills' shared stage: one private PostgreSQL cluster, migrated and seeded once per run
(migrating takes most of the drills' time), which each drill then serves with its own app process."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.drills.support import app_environment, migrate_and_seed, private_postgres

DATABASE = "spr_drill"


@pytest.fixture(scope="session")
def drill_database():
    """(cluster, seed data): a private cluster with the app's schema, SPR 2012, the forces, a PCC staff
    user with an API token and a draft West Midlands assessment."""
    with private_postgres() as cluster:
        cluster.createdb(DATABASE)
        folder = Path(tempfile.mkdtemp(prefix="spr-drill-app-"))
        try:
            env = app_environment(cluster.url(DATABASE), "filesystem://", folder)
            yield cluster, migrate_and_seed(env)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def drill_folder():
    folder = Path(tempfile.mkdtemp(prefix="spr-drill-run-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
