"""scripts/bench_editor.py's variant of the editor's configuration: Decap's own `list` for the
data files' lists of records, everything else as the site makes it (no browser, no build)."""

from __future__ import annotations

import pytest
import yaml

from macros.outputs import cms
from scripts.bench_editor import list_variant


def test_the_variant_changes_only_the_lists_of_records():
    site = cms.config_yaml({}, production=False)
    variant = yaml.safe_load(list_variant(site))
    expected = yaml.safe_load(site)
    records = 0
    for collection in expected["collections"]:
        for one in collection.get("files", []):
            for top in one["fields"]:
                if top.get("widget") == "ssp-records":
                    top["widget"] = "list"
                    records += 1
    assert records >= 5  # training, reviews, contacts, topics, providers at least
    assert variant == expected
    training = next(c for c in variant["collections"] if c["name"] == "training")
    assert training["files"][0]["fields"][0]["widget"] == "list"


def test_a_configuration_without_the_sites_list_is_refused():
    with pytest.raises(ValueError, match="config.yml has no 'widget: ssp-records' to replace"):
        list_variant("collections: []\n")
