# Django's "ar" formats, with the weekday on dates (appointments) and a 24-hour clock; the
# right-to-left marks in the short formats keep day/month/year in order inside Arabic text.
DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y، H:i"
MONTH_DAY_FORMAT = "l j F"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
