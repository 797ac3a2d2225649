from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fully_migrated(using):
    """False after `migrate app 00NN` back to an older state: today's models do not fit it."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _after_migrate(sender, using="default", plan=None, **kwargs):
    # Only after `migrate` (which passes its plan), not after a test's flush: the rows the
    # migrations made are restored then, and new ones would clash with them.
    if plan is None or not _fully_migrated(using):
        return
    from .signoff import require_medical_sign_off_for_questionnaires

    require_medical_sign_off_for_questionnaires()


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from catalog.cart.signals import asking_first
        from orders.signals import checking_lines, order_placed

        from .pharmacy import ask_before_adding, attach_answers, missing_answers

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="questionnaire_sign_off")
        # A pharmacy medicine's questions, asked before its pack goes into the cart.
        asking_first.connect(ask_before_adding, dispatch_uid="pharmacy_questions_first")
        checking_lines.connect(missing_answers, dispatch_uid="pharmacy_answers_missing")
        order_placed.connect(attach_answers, dispatch_uid="pharmacy_answers_attached")
