"""Sections of the site that bring their own data, macros and generated files.

Each module listed here provides:

    register(env, now) -> list[Problem]
        load and validate its data (returning every problem, raising nothing for bad
        data), and register its macros with `env.macro`;
    generated_files() -> dict[str, bytes | str]
        files built from its data: feeds, or Markdown pages ("reviews/sar-b.md") that
        MkDocs then builds like any other page.

macros/__init__.py calls them; nothing else needs to change to add a section.
"""

from macros.data import newsletters, reviews  # noqa: E402

SECTIONS: list = [newsletters, reviews]
