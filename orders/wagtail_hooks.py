from wagtail import hooks

from .admin import ADMIN_NAMESPACE, AwaitingCheckPanel, OrderViewSet, may_see_orders


@hooks.register("register_admin_viewset")
def register_orders():
    return OrderViewSet(ADMIN_NAMESPACE)


@hooks.register("construct_homepage_panels")
def add_awaiting_check_panel(request, panels):
    if may_see_orders(request.user):
        panels.append(AwaitingCheckPanel())
