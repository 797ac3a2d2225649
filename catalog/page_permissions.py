"""Who may delete, move or change the privacy of medicine pages.

Wagtail ties these rights to "publish" (a medical reviewer) or to "change" on drafts (an
editor). For medicine information that is too loose: deleting a page destroys its
sign-off history, moving it changes every URL patients and search engines know, and a
privacy change decides who may read it. So only administrators (superusers) do these;
a medical reviewer withdraws a page by unpublishing it, and its history stays.
The rights are listed in docs/permissions.md and walked by tests/test_permissions.py.
"""

from wagtail.models import PagePermissionTester


class MedicinePagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk=ignore_bulk)

    def can_set_view_restrictions(self):
        return self.user.is_superuser and super().can_set_view_restrictions()


class MedicinePagePermissions:
    """Page mixin: Wagtail's documented hook for a page type's own permission rules.
    (Moving asks can_delete, so it follows deletion.)"""

    def permissions_for_user(self, user):
        return MedicinePagePermissionTester(user, self)
