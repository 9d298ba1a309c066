from django.apps import AppConfig


class PrecedentConfig(AppConfig):
    name = "precedent"

    def ready(self):
        from django.db.models.signals import post_delete

        from audit import readers
        from casebook.models import Case
        from casebook.signals import case_changed
        from precedent import case_law, services, signals
        from principles import reliance
        from principles.signals import revision_published

        case_changed.connect(signals.index_case, dispatch_uid="precedent.index_case")
        post_delete.connect(signals.feed_deletion, sender=Case, dispatch_uid="precedent.feed_deletion")
        # A mark concerns two cases: its entry is for those who may see both.
        readers.limit("casebook.similarityfeedback", services.audited_marks)
        reliance.count_with(case_law.live_decisions_on)
        revision_published.connect(signals.queue_impact, dispatch_uid="precedent.queue_impact")
