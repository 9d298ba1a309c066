from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The review workflow: assignment, opinions, decisions' path to issue."""

    name = "reviews"
    verbose_name = "Reviews"
