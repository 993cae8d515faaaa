"""The Southend Safeguarding Partnership site's library (see README, "How it fits together").

mkdocs-macros loads this package (mkdocs.yml `module_name: macros`) for the functions below,
which live in macros/engine/pages.py. Absolute imports only: Zensical loads this file
without its package.
"""

from macros.engine.pages import define_env, on_pre_page_macros  # noqa: F401
