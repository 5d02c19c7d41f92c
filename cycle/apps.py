from django.apps import AppConfig


class CycleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cycle"
    verbose_name = "The annual cycle: deadlines and reminders"

    def ready(self):
        # My tasks (assessments, a layer below) dates an owned requirement by its period's submission
        # deadline while the assessment is a draft.
        from assessments.selectors.owners import REQUIREMENT_DUE_DATES
        from cycle.selectors import submission_due_dates

        if submission_due_dates not in REQUIREMENT_DUE_DATES:
            REQUIREMENT_DUE_DATES.append(submission_due_dates)
