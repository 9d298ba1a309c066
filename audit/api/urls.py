from rest_framework.routers import SimpleRouter

from audit.api import views

router = SimpleRouter()
router.register("audit", views.AuditEventViewSet, basename="auditevent")

urlpatterns = router.urls
