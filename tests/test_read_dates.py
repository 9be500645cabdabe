"""Reading a date back from its form: every form of many dates reads back as itself."""

from datetime import date, timedelta

import pytest

from training import dates
from training.read_dates import read


def test_every_form_of_every_fifth_day_of_a_leap_year_and_the_ends_reads_back():
    days = [date(2000, 1, 1) + timedelta(days=i) for i in range(0, 366, 5)]
    days += [dates.FIRST, dates.LAST, date(1905, 10, 31), date(2000, 2, 29)]
    for day in days:
        for form in dates.FORMS:
            reading = read(dates.write(day, form))
            assert reading is not None and reading.form == form, (day, form)
            assert reading.date == day and reading.in_range


@pytest.mark.parametrize(
    "text, year, in_range",
    [("1750年3月3日", 1750, False), ("the 3rd of March, 2150", 2150, False), ("一七五〇年三月三日", 1750, False)],
)
def test_a_known_form_with_a_year_outside_the_task(text, year, in_range):
    reading = read(text)
    assert reading.year == year and reading.in_range is in_range


@pytest.mark.parametrize("text", ["3/3/1921", "the 3th of March, 1921", "March 3 1921", "", "一九二一年二二十月三日"])
def test_other_forms_are_not_read(text):
    assert read(text) is None


def test_an_impossible_day_reads_but_is_no_date():
    reading = read("30 February 1921")
    assert reading is not None and reading.date is None and not reading.in_range
