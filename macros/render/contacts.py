"""The contact cards (data/contacts.yaml): app-contacts.html, one app-contact-card.html each."""

from __future__ import annotations

from markupsafe import Markup

from macros.data.contacts import Contact
from macros.render.html import safe_href, tel_href
from macros.render.templates import render


def _card(contact: Contact) -> dict:
    """What a card shows: a number only once verified, links only to checked addresses."""
    phone = contact.phone if contact.verified else None
    return {"group": contact.group, "id": contact.id, "name": contact.name, "when": contact.when,
            "phone": phone, "tel": tel_href(phone) if phone else None,
            "text": contact.text, "sms": "sms:" + tel_href(contact.text)[4:] if contact.text else None,
            "hours": contact.hours, "href": safe_href(contact.url)}


def render_contacts(contacts: list[Contact], heading_level: int = 3) -> Markup:
    """The contacts as accessible cards; empty when there are none. Pure: data in, HTML out."""
    if not contacts:
        return Markup("")
    return render("app-contacts.html", cards=[_card(c) for c in contacts], level=heading_level)
