from django.urls import path, register_converter

from principles import views
from principles.models import CODE_PATTERN


class ProvisionCodeConverter:
    regex = CODE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ProvisionCodeConverter, "code")

app_name = "principles"
urlpatterns = [
    path("", views.current, name="current"),
    path("revisions/", views.revision_list, name="revision-list"),
    path("revisions/new/", views.revision_draft, name="revision-draft"),
    path("revisions/<int:number>/", views.revision_detail, name="revision-detail"),
    path("revisions/<int:number>/diff/", views.revision_diff_view, name="revision-diff"),
    path("revisions/<int:number>/edit/", views.revision_edit, name="revision-edit"),
    path("revisions/<int:number>/provisions/new/", views.revision_add, name="revision-add"),
    path("revisions/<int:number>/provisions/<code:code>/", views.revision_text, name="revision-text"),
    path("revisions/<int:number>/provisions/<code:code>/retire/", views.revision_retire, name="revision-retire"),
    path("revisions/<int:number>/publish/", views.revision_publish, name="revision-publish"),
    path("revisions/<int:number>/discard/", views.revision_discard, name="revision-discard"),
    path("provisions/<code:code>/", views.provision_detail, name="provision-detail"),
]
