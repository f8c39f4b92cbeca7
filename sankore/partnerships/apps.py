from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "sankore.partnerships"
    label = "partnerships"
    verbose_name = _("Partenariats")

    def ready(self) -> None:
        from sankore.catalog.page_extensions import (
            course_supporters_register,
            institution_supporters_register,
        )
        from sankore.exams.fee_waivers import fee_waiver_link_register, fee_waiver_release_register
        from sankore.partnerships.sponsor_selectors import course_supports, institution_supports
        from sankore.partnerships.sponsor_views import voucher_page_url
        from sankore.partnerships.sponsors import voucher_seat_release

        # « Avec le soutien de » on the course and institution pages of the catalog.
        course_supporters_register(course_supports)
        institution_supporters_register(institution_supports)
        # « Utiliser un bon » next to an exam fee still to pay, in « Mes examens ».
        fee_waiver_link_register(voucher_page_url)
        # A cancelled registration gives its voucher's seat back.
        fee_waiver_release_register(voucher_seat_release)
