"""Facts a person reads on the site, checked against the annual report 2022-23 (the source of
every fact): where the report gives two figures, the site gives both, in the same words."""

from __future__ import annotations

import re

import pytest


@pytest.mark.browser
def test_professionals_page_gives_both_training_counts_as_the_annual_report_page(page, site_server):
    """Section 10.7 says 244 courses were shared; Appendix 1 says 168 free resources were
    signposted. /professionals/ gives both, worded as /about/annual-report-2022-23/ does."""
    both = ("section 10.7 says 244 courses were shared", "Appendix 1 says 168 free resources were signposted")
    page.goto(site_server + "/about/annual-report-2022-23/")
    report = re.sub(r"\s+", " ", page.locator("article").inner_text())
    assert all(re.search(re.escape(words), report, re.IGNORECASE) for words in both)
    page.goto(site_server + "/professionals/")
    free = page.get_by_role("heading", name="Free training", level=2)
    text = re.sub(r"\s+", " ", free.locator("xpath=following-sibling::p[1]").inner_text())
    for words in both:
        assert words in text
    assert free.locator("xpath=following-sibling::p[1]").is_visible()
