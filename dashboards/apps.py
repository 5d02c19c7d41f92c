from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Read-only views across assessments: the chief constable's dashboard and the national view."""

    name = "dashboards"
    verbose_name = "Dashboards"
