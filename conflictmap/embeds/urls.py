from django.urls import path

from conflictmap.embeds import views

urlpatterns = [
    path("embed/", views.embed_adhoc, name="embed-adhoc"),
    path("embed/<slug:slug>/", views.embed, name="embed"),
    path("oembed/", views.oembed, name="oembed"),
]
