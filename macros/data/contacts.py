"""Who to call: loads and validates data/contacts.yaml, renders the contact lists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from macros.core.validation import (
    ROOT,
    DataError,
    Problem,
    line_of,
    load_schema,
    load_yaml,
    relpath,
    schema_problems,
)
from macros.render.html import esc, safe_href, tel_href

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


def render_contact(contact: Contact, heading_level: int = 3) -> Markup:
    """One contact as an accessible card. Pure: data in, escaped HTML out."""
    h = f"h{heading_level}"
    parts = [f'<div class="app-contact app-contact--{esc(contact.group)}" id="contact-{esc(contact.id)}">',
             f'<{h} class="app-contact__name">{esc(contact.name)}</{h}>',
             f'<p class="app-contact__when">{esc(contact.when)}</p>']
    if contact.verified and contact.phone:
        parts.append(f'<p class="app-contact__phone">Call <a href="{esc(tel_href(contact.phone))}">'
                     f'<strong>{esc(contact.phone)}</strong></a></p>')
    else:
        parts.append('<p class="app-contact__phone app-contact__phone--tbc">'
                     '<strong>Number to be confirmed.</strong> We are checking this number with '
                     'the service. If someone is in danger now, call <a href="tel:999">999</a>.</p>')
    if contact.text:
        parts.append(f'<p>Text <a href="sms:{esc(tel_href(contact.text)[4:])}">{esc(contact.text)}</a></p>')
    if contact.hours:
        parts.append(f'<p class="app-contact__hours">{esc(contact.hours)}</p>')
    href = safe_href(contact.url)
    if href:
        parts.append(f'<p><a href="{esc(href)}">{esc(contact.name)} website'
                     '<span class="app-visually-hidden"> (opens another website)</span></a></p>')
    parts.append("</div>")
    return Markup("".join(parts))


def render_contacts(contacts: list[Contact], heading_level: int = 3) -> Markup:
    if not contacts:
        return Markup("")
    return Markup('<div class="app-contacts">') + Markup("").join(
        render_contact(c, heading_level) for c in contacts) + Markup("</div>")
