from django.urls import path

from dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
]
