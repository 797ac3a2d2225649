from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("start/<int:product_id>/", views.start, name="start"),
    path("details/", views.details, name="details"),
    path("pack/", views.pack, name="pack"),
    path("review/", views.review, name="review"),
    path("expired/", views.expired, name="expired"),
    path("pharmacy/<int:product_id>/", views.pharmacy, name="pharmacy"),
    path("status/<str:token>/", views.status, name="status"),
]
