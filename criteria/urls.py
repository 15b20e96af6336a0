from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("new/", views.framework_create, name="framework_create"),
    path("import/", views.framework_import, name="framework_import"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
    path("<int:pk>/read/", views.framework_read, name="framework_read"),
    path("<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    path("<int:pk>/publish/", views.framework_publish, name="framework_publish"),
    path("<int:pk>/retire/", views.framework_retire, name="framework_retire"),
    path("<int:pk>/delete/", views.framework_delete, name="framework_delete"),
    path("<int:pk>/new-version/", views.framework_new_version, name="framework_new_version"),
    path("<int:pk>/derive/", views.framework_derive, name="framework_derive"),
    path("<int:pk>/compare/", views.framework_compare, name="framework_compare"),
    path("<int:pk>/export/", views.framework_export, name="framework_export"),
    path("<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/move/", views.criterion_move, name="criterion_move"),
    path("criteria/<int:pk>/reparent/", views.criterion_reparent, name="criterion_reparent"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("<int:pk>/levels/new/", views.level_create, name="level_create"),
    path("levels/<int:pk>/edit/", views.level_edit, name="level_edit"),
    path("levels/<int:pk>/move/", views.level_move, name="level_move"),
    path("levels/<int:pk>/delete/", views.level_delete, name="level_delete"),
    path("<int:pk>/rollups/new/", views.rollup_create, name="rollup_create"),
    path("rollups/<int:pk>/edit/", views.rollup_edit, name="rollup_edit"),
    path("rollups/<int:pk>/delete/", views.rollup_delete, name="rollup_delete"),
]
