from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/confirmation/<slug:reference>/", views.confirmation, name="confirmation"),
    path("orders/<slug:token>/", views.status, name="status"),
    path("orders/<slug:token>/reply/", views.reply, name="reply"),
]
