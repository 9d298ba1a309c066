from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("casebook.urls")),
    path("", include("reviews.urls")),
    path("", include("precedent.urls")),
    path("", include("notifications.urls")),
    path("", include("audit.urls")),
    path("", include("dashboard.urls")),
    path("framework/", include("principles.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "casebook.views.bad_request"
handler403 = "casebook.views.forbidden"
handler404 = "casebook.views.not_found"
handler500 = "casebook.views.server_error"
