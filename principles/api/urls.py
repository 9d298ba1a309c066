from rest_framework.routers import SimpleRouter

from principles.api import views

router = SimpleRouter()
router.register("provisions", views.ProvisionViewSet, basename="provision")
router.register("revisions", views.RevisionViewSet, basename="revision")

urlpatterns = router.urls
