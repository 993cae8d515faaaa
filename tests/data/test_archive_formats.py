"""The courses of Appendix 1 of the annual report 2022-23 say how they are delivered only where
the report does: online where its line says so ("Webinar", "Safer Places Webinars", "an online
family festival") or its text elsewhere calls the sessions virtual, in person where it names a
venue or says face to face, and to-be-confirmed where it gives only a date, a title and a
provider (it says only that such free training is "often delivered online")."""

from __future__ import annotations

import re

import pytest

from macros.data.training import load_courses

# Words in a report line that would say how a course is delivered.
DELIVERY = re.compile(r"webinar|online|virtual|teams|zoom|e-learning|face to face|in person|"
                      r"venue|centre dates", re.IGNORECASE)

# Courses whose Appendix 1 line (copied here verbatim from the report, whose text is not in the
# repository) gives a date, a title and a provider and nothing about how they are delivered.
NOT_SAID = [
    ("safe-steps-domestic-abuse-an-overview-2022",
     "1.12.22 0930-1230\tDomestic Abuse – An Overview\tSafe Steps"),
    ("thurrock-sab-dbs-disclosure-workshop-2022",
     "7.12.22 1000-1130\tDBS Disclosure Workshop\tThurrock Safeguarding Adults Board"),
    ("lancet-racism-xenophobia-discrimination-health-2022",
     "9.12.22 2.00-PM\tRacism, xenophobia, discrimination and the determination of health.\tThe Lancet"),
    ("scc-harmful-sexual-behaviour-brook-traffic-light-2022",
     "12.09.22: 0900-1230 28.09.22: 0900-1230 04.10.22: 0900-1230\tHarmful Sexual Behaviour "
     "Training (Free) (Brook Traffic Light Training (TLT))\tSouthend City Council"),
    ("nwg-diversity-forum-2023", "08.03.23 1030-1230\tNWG Diversity Forum\tNWG"),
    ("scc-mecc-make-every-contact-count-2023",
     "14.03.23 1300-1600 07.04.23 0930-1230 19.05.23 1000-1300\tMECC - Make Every Contact Count"
     "\tSouthend City Council"),
]


@pytest.fixture(scope="module")
def courses():
    return {c.id: c for c in load_courses()}


def test_a_course_whose_report_line_does_not_say_is_to_be_confirmed(courses):
    for course_id, line in NOT_SAID:
        assert not DELIVERY.search(line), line
        assert courses[course_id].format == "to-be-confirmed", course_id
        assert "format: the report does not say how it is delivered" in courses[course_id].notes


def test_every_archived_online_or_in_person_course_records_the_reports_words(courses):
    archived = [c for c in courses.values() if "/archive/" in c.file]
    assert len(archived) == 119
    for c in archived:
        said = f"{c.title} {c.notes}".lower()
        assert "assumed" not in said, c.id
        if c.format == "online":
            assert re.search(r"webinar|online|virtual", said), c.id
        elif c.format in ("in-person", "hybrid"):
            assert re.search(r"venue|in person|face to face|face-to-face", said), c.id
        else:
            assert c.format == "to-be-confirmed", c.id
