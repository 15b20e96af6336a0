from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("tasks/", views.task_failures, name="task_failures"),
    path("tasks/<int:pk>/", views.task_failure_detail, name="task_failure_detail"),
]
