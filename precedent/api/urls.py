from django.urls import path
from rest_framework.routers import SimpleRouter

from precedent.api import views

router = SimpleRouter()
router.register("cases", views.CaseSimilarViewSet, basename="case")
router.register("saved-searches", views.SavedSearchViewSet, basename="savedsearch")
router.register("impact", views.ImpactViewSet, basename="impact")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("similar/", views.SimilarDraftView.as_view(), name="similar"),
    path("digest/", views.DigestView.as_view(), name="digest"),
    path("digest/subscription/", views.DigestSubscriptionView.as_view(), name="digest-subscription"),
    path("decisions/<int:pk>/graph/", views.DecisionGraphView.as_view(), name="decision-graph"),
    path("provisions/<str:code>/case-law/", views.ProvisionCaseLawView.as_view(), name="provision-case-law"),
    *router.urls,
]
