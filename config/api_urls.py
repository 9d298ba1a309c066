"""The API, gathered from each app's api/urls.py under one namespace, with its schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from casebook.api.views import ApiDocsView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include("casebook.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("precedent.api.urls")),
    path("", include("principles.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("dashboard.api.urls")),
]
