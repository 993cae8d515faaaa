"""The fast schema check (fastjsonschema) and the explaining one (jsonschema) must agree on
every document: the fast one accepts exactly the documents in which the explaining one
reports nothing (it leaves out the checks marked x-checked-in-code, whose errors are not
reported), or a problem could pass unexplained. Checked on every fixture the validator
tests use, valid and malformed, and on the repository's data."""

from __future__ import annotations

import json

import jsonschema
import pytest

from macros.validation import ROOT, _fast_validator, _leaf_errors, load_schema, load_yaml, plain

SCHEMAS = sorted(p.name for p in (ROOT / "data" / "schema").glob("*.schema.json"))


def reports_nothing(validator: jsonschema.Draft202012Validator, doc) -> bool:
    """What schema_problems keeps of jsonschema's errors: none."""
    return not [e for e in _leaf_errors(list(validator.iter_errors(doc)))
                if not (isinstance(e.schema, dict) and e.schema.get("x-checked-in-code"))]


def documents():
    from . import test_contacts, test_reviews_validation, test_training_validation

    yield "contacts.schema.json", [test_contacts.GOOD] + [c[1] for c in test_contacts.CASES]
    yield "training.schema.json", [test_training_validation.GOOD] + [
        c[1] for c in test_training_validation.CASES]
    yield "reviews.schema.json", [test_reviews_validation.GOOD] + [
        c[1] for c in test_reviews_validation.CASES]


@pytest.mark.parametrize("name", SCHEMAS)
def test_repository_data_is_judged_alike(name):
    schema = load_schema(name)
    fast = _fast_validator(json.dumps(schema, sort_keys=True))
    slow = jsonschema.Draft202012Validator(schema)
    for path in (ROOT / "data").rglob("*.yaml"):
        doc = plain(load_yaml(path))
        assert fast(doc) == reports_nothing(slow, doc), (name, path)


def test_malformed_fixtures_are_judged_alike(tmp_path):
    checked = rejected = 0
    for name, texts in documents():
        schema = load_schema(name)
        fast = _fast_validator(json.dumps(schema, sort_keys=True))
        slow = jsonschema.Draft202012Validator(schema)
        for i, text in enumerate(texts):
            path = tmp_path / f"{i}.yaml"
            path.write_text(text)
            try:
                doc = plain(load_yaml(path))
            except Exception:  # syntax errors never reach the schema
                continue
            assert fast(doc) == reports_nothing(slow, doc), (name, text)
            checked += 1
            rejected += not fast(doc)
    assert checked >= 20 and rejected >= 10
