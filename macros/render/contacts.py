"""The contact cards (data/contacts.yaml): app-contacts.html, one app-contact-card.html each."""

from __future__ import annotations

from markupsafe import Markup

from macros.data.contacts import Contact
from macros.render.html import safe_href, tel_href
from macros.render.templates import render


def _card(contact: Contact, audience: str | None) -> dict:
    """What a card shows: a number only once verified, links only to checked addresses.

    Its heading's id is unique on a page that lists children's and adults' contacts apart,
    where a contact for both is shown twice: site search makes each card a section of its
    own (MASH, police, adult social care, the helplines), found by its name, and only the
    first of the two copies (its first audience's) is a search result.
    """
    phone = contact.phone if contact.verified else None
    anchor = f"contact-{contact.id}"
    repeated = False
    if audience and len(contact.audiences) > 1:
        anchor += f"-{audience}"
        repeated = audience != contact.audiences[0]
    return {"group": contact.group, "anchor": anchor, "name": contact.name, "when": contact.when,
            "searched": not repeated,
            "phone": phone, "tel": tel_href(phone) if phone else None,
            "text": contact.text, "sms": "sms:" + tel_href(contact.text)[4:] if contact.text else None,
            "hours": contact.hours, "href": safe_href(contact.url)}


def render_contacts(contacts: list[Contact], heading_level: int = 3,
                    audience: str | None = None) -> Markup:
    """The contacts as accessible cards; empty when there are none. Pure: data in, HTML out.
    `audience`: the one audience the list was chosen for, if any."""
    if not contacts:
        return Markup("")
    return render("app-contacts.html", cards=[_card(c, audience) for c in contacts],
                  level=heading_level)
