from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/confirmation/<str:reference>/", views.confirmation, name="confirmation"),
    path("orders/<str:token>/", views.status, name="status"),
    path("orders/<str:token>/reply/", views.reply, name="reply"),
]
