"""The seams between the library and the engines that build the site.

- `pages.py`: the mkdocs-macros module functions (`define_env`, `on_pre_page_macros`), which
  both engines run: mkdocs-macros under MkDocs, and Zensical natively.
- `mkdocs.py`: the MkDocs plugin (`ssp-site` in mkdocs.yml, registered in pyproject.toml):
  one `Build` per build, its files given to MkDocs, each page finished as it is written.
- `zensical.py`: the same site built with Zensical (`make zensical`), which runs neither
  MkDocs plugins nor hooks: the seam stages the files and finishes the pages itself.
"""
