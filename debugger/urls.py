from django.urls import path

from . import views

app_name = "debugger"

urlpatterns = [
    path("", views.live, name="live"),
    path("events/<int:pk>/", views.event_page, name="event"),
    path("problems/", views.problem_index, name="problems"),
    path("problems/<slug:code>/", views.problem_page, name="problem"),
]
