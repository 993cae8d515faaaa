"""The site's sections: one per dataset, each behind the same interface.

A section is made with the `Build` it belongs to and has:

    load() -> list[Problem]            load and check its data; every problem, nothing raised
    macros() -> list[callable]         the macros its pages call (each with a docstring)
    variables() -> dict                the variables its pages read
    files() -> dict[str, bytes | str]  the files made from its data: feeds, calendars, JSON,
                                       and generated Markdown pages, by path in the site

Adding a dataset is adding a module here and one line to `Build`.
"""
