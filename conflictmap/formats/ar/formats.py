"""Arabic numbers as the map's scripts write them (Intl's ar-SY with Western digits, i18n.js):
grouped by thousands with a comma, so the server's sentences (territory/serve/summary.py) and the
legend agree. Month names, as the Levant says them, are in conflictmap/locale/ar/django.po."""

from django.utils.translation import gettext_noop

# Django's own month names, which date_format's "F" translates: named here so that makemessages
# keeps their Levantine Arabic in django.po (kanun, shubat...) instead of marking it obsolete.
LEVANT_MONTHS = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
)  # fmt: skip

DATE_FORMAT = "j F Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
