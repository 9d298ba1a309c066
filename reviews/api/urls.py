from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api import views

# Beside the case's and the partner's own routes (casebook.api.urls), under the same names.
router = SimpleRouter()
router.register("cases", views.CaseReviewViewSet, basename="case")
router.register("partners", views.PartnerReassessmentViewSet, basename="partner")
router.register("conditions", views.ConditionViewSet, basename="condition")

urlpatterns = [
    path("me/work/", views.MyWorkView.as_view(), name="my-work"),
    path("decisions/<int:pk>/headnotes/", views.DecisionHeadnotesView.as_view(), name="decision-headnotes"),
    *router.urls,
]
