"""SITE_ENV=production: the published site cannot carry a placeholder of any kind."""

from __future__ import annotations

import re

from tests.conftest import run_build


def make_publishable(project):
    """Verify every contact and give the feedback form a real-looking address."""
    contacts = project / "data" / "contacts.yaml"
    text = contacts.read_text()
    text = re.sub(r"    verified: false\n", '    phone: "01234 000000"\n    verified: true\n', text)
    contacts.write_text(text)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "https://feedback.invalid/southend-safeguarding-partnership",
        "https://forms.southend.example.net/feedback"))


def test_a_to_be_confirmed_fact_fails_the_production_build(project_copy, tmp_path):
    make_publishable(project_copy)
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("forms.southend.example.net", "forms.southend.gov.uk"))
    result = run_build(tmp_path / "out", {"SITE_ENV": "production"}, cwd=project_copy)
    assert result.returncode != 0
    assert "Pages still hold facts to be confirmed" in result.stderr
    assert "content/privacy/index.md: to be confirmed: data controller" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_placeholder_feedback_address_fails_the_production_build(project_copy, tmp_path):
    make_publishable(project_copy)  # example.net is a placeholder domain
    result = run_build(tmp_path / "out", {"SITE_ENV": "production"}, cwd=project_copy)
    assert result.returncode != 0
    assert "extra.feedback: url: 'https://forms.southend.example.net/feedback' is a placeholder" \
        in result.stderr


def test_the_preview_build_shows_placeholders_plainly(built_site):
    html = (built_site / "privacy" / "index.html").read_text()
    assert '<span class="app-tbc"><strong>To be confirmed:</strong>' in html


def test_every_placeholder_of_every_kind_is_reported_in_one_run(project_copy, tmp_path):
    """Settings, contacts and pages together: one production build lists them all, rather
    than the settings first and the pages' facts only once those are fixed."""
    result = run_build(tmp_path / "out", {"SITE_ENV": "production"}, cwd=project_copy)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "extra.feedback: url: 'https://feedback.invalid/southend-safeguarding-partnership' is a " \
        "placeholder" in result.stderr
    assert re.search(r"data/contacts\.yaml:\d+: contact '[a-z0-9-]+'", result.stderr)
    assert "content/privacy/index.md: to be confirmed: data controller" in result.stderr
    # #13 point 10: the site's address, which calendars and feeds need for absolute links.
    assert "  mkdocs.yml: site_url: is empty; write the address the site is published at, starting " \
        "https://, e.g. site_url: https://www.example.org/ (calendars and feeds link to the site " \
        "with it)\n" in result.stderr
