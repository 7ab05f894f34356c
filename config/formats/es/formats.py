# Django's "es" formats, with the weekday on dates (appointments).
DATE_FORMAT = r"l j \d\e F \d\e Y"
DATETIME_FORMAT = r"l j \d\e F \d\e Y, H:i"
MONTH_DAY_FORMAT = r"l j \d\e F"
