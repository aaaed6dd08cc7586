from django.urls import path

from conflictmap.web import views

urlpatterns = [
    path("", views.index, name="index"),
]
