"""Who to call: loads and validates data/contacts.yaml (the cards: macros/render/contacts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros.core.problems import ROOT, DataError, Problem, relpath
from macros.core.schema import load_schema, schema_problems
from macros.core.yamlfile import load_yaml
from macros.core.yamllines import line_of

CONTACTS_FILE = ROOT / "data" / "contacts.yaml"
GROUP_ORDER = ("emergency", "local", "national")


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    audiences: tuple[str, ...]
    group: str
    when: str
    verified: bool
    source: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None
    hours: str | None = None
    line: int = 0


def load_contacts(path: Path = CONTACTS_FILE) -> list[Contact]:
    """Load and validate the contacts file; raise DataError listing every problem."""
    doc = load_yaml(path)
    name = relpath(path)

    def record_of(p: list) -> str:
        if len(p) >= 2 and p[0] == "contacts" and isinstance(p[1], int):
            try:
                return f"contact '{doc['contacts'][p[1]]['id']}'"
            except (KeyError, IndexError, TypeError):
                return f"contact {p[1] + 1}"
        return ""

    problems = list(schema_problems(doc, load_schema("contacts.schema.json"), name, record_of))
    if problems:
        raise DataError(problems)

    contacts: list[Contact] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(doc["contacts"]):
        line = line_of(doc, ["contacts", i])
        record = f"contact '{item['id']}'"
        if item["id"] in seen:
            problems.append(Problem(name, line, f"the id is also used on line {seen[item['id']]}; "
                                    "give each contact its own id", record, "id"))
        seen.setdefault(item["id"], line)
        if item["verified"] and not item.get("phone"):
            problems.append(Problem(name, line, "a verified contact needs a phone number "
                                    "(add phone: \"...\" or set verified: false)", record,
                                    "verified"))
        contacts.append(Contact(
            id=item["id"], name=item["name"], audiences=tuple(item["for"]), group=item["group"],
            when=item["when"], verified=item["verified"], source=item["source"],
            phone=item.get("phone"), text=item.get("text"), url=item.get("url"),
            hours=item.get("hours"), line=line,
        ))
    if problems:
        raise DataError(problems)
    return sorted(contacts, key=lambda c: GROUP_ORDER.index(c.group))


def production_problems(contacts: list[Contact], path: Path = CONTACTS_FILE) -> list[Problem]:
    """Unverified contacts: fine in a preview, a failure in the published site."""
    return [
        Problem(relpath(path), c.line,
                "is not verified: check the number with the service, write it in phone: and "
                "set verified: true (a production build cannot publish 'number to be confirmed')",
                f"contact '{c.id}'", "verified")
        for c in contacts if not c.verified
    ]


def select(contacts: list[Contact], audience: str | None = None,
           group: str | None = None) -> list[Contact]:
    return [c for c in contacts
            if (audience is None or audience in c.audiences) and (group is None or c.group == group)]
