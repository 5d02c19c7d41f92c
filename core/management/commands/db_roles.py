"""Create or update the app's least-privilege PostgreSQL role (idempotent; run as the database owner
after every `migrate`).

The owner (DATABASE_URL of the process that runs this and `migrate`) owns every table. The app
(web, worker, beat) connects as `--app-role`, which owns nothing, so it cannot ALTER, DROP or
TRUNCATE a table, switch triggers off, or set `session_replication_role` (superuser only). It may
read and write the app's tables, but only INSERT and SELECT the audit trail (docs/security.md).
"""

from __future__ import annotations

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from core.models import AuditEntry

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: What the app may do to the audit table; nothing more.
AUDIT_PRIVILEGES = "SELECT, INSERT"


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the app's least-privilege PostgreSQL role: DML on the app's "
        "tables, only INSERT and SELECT on the audit trail, no DDL, TRUNCATE or trigger control. "
        "Run as the database owner after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default="spr_app", help="The role the app connects as (default spr_app)")
        parser.add_argument(
            "--password-env",
            default="",
            help="Name of an environment variable holding the role's password (left unchanged if not given)",
        )
        parser.add_argument("--database", default="default", help="The connection to run as (the owner's)")

    def handle(self, *args, app_role: str, password_env: str, database: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write(f"Nothing to do: roles are PostgreSQL's, and this database is {connection.vendor}.")
            return
        if not ROLE_NAME.match(app_role):
            raise CommandError("The role name must be lower-case letters, digits and underscores.")
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"{password_env} is empty or not set.")
        role = connection.ops.quote_name(app_role)
        audit = connection.ops.quote_name(AuditEntry._meta.db_table)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database_name = cursor.fetchone()
            if owner == app_role:
                raise CommandError("Run this as the database owner, not as the app's role.")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {role} LOGIN")
                self.stdout.write(f"Created role {app_role}.")
            cursor.execute(
                f"ALTER ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
            )
            if password:
                cursor.execute(f"ALTER ROLE {role} PASSWORD %s", [password])
            database_quoted = connection.ops.quote_name(database_name)
            cursor.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {database_quoted} TO {role}")
            cursor.execute(f"REVOKE CREATE ON DATABASE {database_quoted} FROM {role}")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            cursor.execute(f"REVOKE CREATE ON SCHEMA public FROM {role}")
            cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            # The audit trail: append and read, never change, remove or empty.
            cursor.execute(f"REVOKE ALL ON {audit} FROM {role}")
            cursor.execute(f"GRANT {AUDIT_PRIVILEGES} ON {audit} TO {role}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Role {app_role} may read and write the tables of {database_name} as {owner} left them, "
                f"and only INSERT and SELECT {AuditEntry._meta.db_table}. Run this again after every migrate."
            )
        )
