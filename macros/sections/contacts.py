"""Contacts (data/contacts.yaml): the `contacts()` cards and the `contact_list` variable."""

from __future__ import annotations

from markupsafe import Markup

from macros.core.problems import DataError, Problem, guarded
from macros.data import contacts as data
from macros.render.contacts import render_contacts


class ContactsSection:
    def __init__(self, build):
        self.build = build
        self.items: list[data.Contact] = []

    def load(self) -> list[Problem]:
        try:
            self.items = guarded("data/contacts.yaml", data.load_contacts)
        except DataError as exc:
            return list(exc.problems)
        return []

    def production_problems(self) -> list[Problem]:
        return data.production_problems(self.items)

    def macros(self) -> list:
        items = self.items

        def contacts(audience: str | None = None, group: str | None = None,
                     heading_level: int = 3) -> Markup:
            """Contact cards from data/contacts.yaml, emergency first.

            `audience`: "children" or "adults" (default both); `group`: "emergency", "local"
            or "national" (default all).
            """
            return render_contacts(data.select(items, audience, group), heading_level, audience)

        return [contacts]

    def variables(self) -> dict:
        return {"contact_list": self.items}

    def files(self) -> dict[str, bytes | str]:
        return {}
