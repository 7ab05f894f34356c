# The portal's English: day before month and a 24-hour clock, as staff in Saudi Arabia and
# Mexico read dates (Django's "en" is American: m/d/Y, "Dec. 3, 2026", "3 p.m.").
DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, H:i"
MONTH_DAY_FORMAT = "l j F"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
