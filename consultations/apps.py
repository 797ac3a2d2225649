from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender, **kwargs):
    from .signoff import require_medical_sign_off_for_questionnaires

    require_medical_sign_off_for_questionnaires()


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="questionnaire_sign_off")
