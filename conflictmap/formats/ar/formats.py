"""Arabic numbers as the map's scripts write them (Intl's ar-SY with Western digits, i18n.js):
grouped by thousands with a comma, so the server's sentences (territory/serve/summary.py) and the
legend agree. Month names, as the Levant says them, are in conflictmap/locale/ar/django.po."""

DATE_FORMAT = "j F Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
