from django.urls import path
from rest_framework.routers import SimpleRouter

from casebook.api import cases, views

router = SimpleRouter()
router.register("partners", cases.PartnerViewSet, basename="partner")
router.register("cases", cases.CaseViewSet, basename="case")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
