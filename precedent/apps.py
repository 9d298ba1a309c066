from django.apps import AppConfig


class PrecedentConfig(AppConfig):
    name = "precedent"

    def ready(self):
        from casebook.signals import case_changed
        from precedent import signals
        from principles.signals import revision_published

        case_changed.connect(signals.index_case, dispatch_uid="precedent.index_case")
        revision_published.connect(signals.queue_impact, dispatch_uid="precedent.queue_impact")
