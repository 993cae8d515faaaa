"""scripts/report.py: the annual report's training appendix from tests/fixtures/training."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.data.topics import load_topics
from macros.data.training import load_courses, training_files
from macros.tools.reports import parse_year, training_report
from tests.factories import make_course

FIXTURE = Path(__file__).parents[1] / "fixtures" / "training"

# Two sessions on one day are one row; a session of the next year (MECC, 14 April 2023) is
# left out; on-demand courses added in the year close the table; a "|" in a title is escaped.
EXPECTED_2022_23 = """\
# Training signposted or provided, 2022-23

1 April 2022 to 31 March 2023: 4 course(s) on 5 date(s), and 2 online course(s) available at any time.

| Date | Title | Provider |
| --- | --- | --- |
| 08.09.22 | Free 4 Mental Health Community Suicide Awareness Training | SCC - Public Health |
| 01.12.22 | Domestic Abuse – An Overview | Safe Steps |
| 06.12.22 | Domestic Abuse – An Overview | Safe Steps |
| 14.03.23 | MECC - Make Every Contact Count | Southend City Council |
| 31.03.23 | Child Sexual Exploitation (CSE) Awareness Raising | NWG |
| Online, available at any time | Advocacy (Care Act) | Social Care Institute for Excellence (SCIE) |
| Online, available at any time | Anti-Bullying \\| e-learning | Anti-Bullying Alliance |

## Courses by provider

| Provider | Courses |
| --- | ---: |
| Anti-Bullying Alliance | 1 |
| NWG | 1 |
| Safe Steps | 1 |
| SCC - Public Health | 1 |
| Social Care Institute for Excellence (SCIE) | 1 |
| Southend City Council | 1 |

## Courses by topic

| Topic | Courses |
| --- | ---: |
| Mental health | 4 |
| Domestic abuse | 1 |
| Exploitation | 1 |
"""


def fixture_report(year: str) -> str:
    topics = load_topics(FIXTURE / "data" / "topics.yaml")
    return training_report(load_courses(training_files(FIXTURE), topics), year, topics)


def test_training_report_of_a_year():
    assert fixture_report("2022-23") == EXPECTED_2022_23


def test_a_course_over_two_years_is_in_both():
    report = fixture_report("2023-24")
    assert "| 14.04.23 | MECC - Make Every Contact Count | Southend City Council |" in report
    assert "14.03.23" not in report
    assert "available at any time |" not in report  # no on-demand course was added in 2023-24
    assert report.startswith("# Training signposted or provided, 2023-24\n\n1 April 2023 to 31 March "
                             "2024: 3 course(s) on 4 date(s), and 0 online course(s)")


def test_a_year_without_courses():
    assert fixture_report("2019-20") == (
        "# Training signposted or provided, 2019-20\n\n1 April 2019 to 31 March 2020: 0 course(s) on "
        "0 date(s), and 0 online course(s) available at any time.\n\nNo courses.\n")


def test_counts_are_sorted_by_count_then_name():
    courses = [make_course(id="a", provider="Zeta", topics=("x",)),
               make_course(id="b", provider="Zeta", topics=("x", "y")),
               make_course(id="c", provider="alpha", topics=("y",)),
               make_course(id="d", provider="Beta", topics=("z",))]
    report = training_report(courses, "2022-23", {"x": "Xylophones", "y": "Yachts"})
    providers = report.split("## Courses by provider")[1].split("##")[0]
    assert providers.strip().splitlines()[2:] == ["| Zeta | 2 |", "| alpha | 1 |", "| Beta | 1 |"]
    topics = report.split("## Courses by topic")[1]
    assert topics.strip().splitlines()[2:] == ["| Xylophones | 2 |", "| Yachts | 2 |", "| z | 1 |"]


@pytest.mark.parametrize("text", ["2022-24", "2022", "22-23", "2022/23", "1999-01"])
def test_a_financial_year_is_written_like_2022_23(text):
    with pytest.raises(ValueError, match="is not a financial year: write it like 2022-23"):
        parse_year(text)
    assert parse_year("1999-00") == "1999-00"


@pytest.fixture
def project(project_copy) -> Path:
    shutil.rmtree(project_copy / "data" / "archive", ignore_errors=True)
    shutil.copytree(FIXTURE / "data", project_copy / "data", dirs_exist_ok=True)
    return project_copy


def run_report(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/report.py", *args], cwd=project,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})


def test_report_script(project):
    result = run_report(project, "training", "--year", "2022-23")
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED_2022_23


def test_report_script_errors_are_one_line(project):
    bad_year = run_report(project, "training", "--year", "2022-24")
    assert bad_year.returncode == 2 and "Traceback" not in bad_year.stderr
    assert bad_year.stderr.splitlines()[-1].endswith(
        "argument --year: '2022-24' is not a financial year: write it like 2022-23 "
        "(1 April 2022 to 31 March 2023)")
    path = project / "data" / "training.yaml"
    path.write_text(path.read_text().replace("format: hybrid", "format: blended"))
    bad_data = run_report(project, "training", "--year", "2022-23")
    assert bad_data.returncode == 1 and "Traceback" not in bad_data.stderr
    assert "course 'mecc-2023-03': format: 'blended' is not allowed" in bad_data.stderr
