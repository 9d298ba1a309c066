from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from casebook.api import cases, search, views
from reviews.api.views import MyWorkView

router = SimpleRouter()
router.register("partners", cases.PartnerViewSet, basename="partner")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("conditions", cases.ConditionViewSet, basename="condition")
router.register("saved-searches", search.SavedSearchViewSet, basename="savedsearch")
router.register("impact", search.ImpactViewSet, basename="impact")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/work/", MyWorkView.as_view(), name="my-work"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("similar/", search.SimilarDraftView.as_view(), name="similar"),
    path("decisions/<int:pk>/graph/", search.DecisionGraphView.as_view(), name="decision-graph"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include("principles.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("notifications.api.urls")),
    *router.urls,
]
