"""What partnership pages' macros run in: a sandboxed Jinja environment.

Only pages the partnership writes are rendered as templates (newsletters and front matter never
are: see `on_pre_page_macros` in macros/engine/pages.py and `front_matter_problems`). Even those
run sandboxed, so that a mistake or a malicious edit in a page cannot reach Python: no
attribute that starts with an underscore (`__globals__`, `__class__`, ...), no attribute
that is a Python module, and none of Jinja's default globals that expose functions with
module globals behind them (`lipsum`, `cycler`, `joiner`, `namespace`). Variables mkdocs-macros
offers by default but no page uses (`config`, `environment`, `plugin`, `git`, `files`,
`navigation`, ...) are taken away too.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from macros.core.problems import Problem

UNSAFE_GLOBALS = ("lipsum", "cycler", "joiner", "namespace", "context", "macros_info")
# mkdocs-macros' own variables that reach MkDocs' and Python's objects; pages use none.
UNUSED_VARIABLES = ("config", "environment", "plugin", "git", "files", "navigation", "macros",
                    "filters", "filters_builtin")
# Jinja's settings that a sandbox copies from the environment mkdocs-macros made.
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string",
             "variable_end_string", "comment_start_string", "comment_end_string",
             "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
             "newline_sequence", "keep_trailing_newline", "undefined", "finalize", "autoescape",
             "loader")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which also refuses any attribute that is a module."""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, types.ModuleType) or isinstance(value, types.ModuleType):
            return False
        return super().is_safe_attribute(obj, attr, value)


def sandboxed(env) -> Sandbox:
    """A Sandbox with `env`'s settings, globals (less UNSAFE_GLOBALS), filters and tests."""
    box = Sandbox(extensions=list(env.extensions), **{name: getattr(env, name) for name in _SETTINGS})
    box.globals.update({k: v for k, v in env.globals.items() if k not in UNSAFE_GLOBALS})
    for name in UNSAFE_GLOBALS:
        box.globals.pop(name, None)
    box.filters.update(env.filters)
    box.tests.update(env.tests)
    return box


def confine(plugin) -> None:
    """Make the mkdocs-macros plugin render in a Sandbox, with only the variables pages use.
    Called before each page is rendered (mkdocs-macros makes its environment after the
    macros module is loaded, and adds variables as the build goes on)."""
    if not isinstance(plugin.env, Sandbox):
        plugin._env = sandboxed(plugin.env)
    for name in UNUSED_VARIABLES:
        plugin.variables.pop(name, None)


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$",
                           re.DOTALL | re.MULTILINE)


def front_matter_problems(docs_dir: Path) -> list[Problem]:
    """Every page's front matter that holds template code: front matter is never run as a
    template, so `{{` or `{%` there would be shown as it is (or, in an older set-up, run)."""
    docs_dir = Path(docs_dir)
    problems: list[Problem] = []
    for path in sorted(docs_dir.rglob("*.md")):
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8", errors="replace"))
        if not match:
            continue
        for offset, line in enumerate(match.group(1).splitlines()):
            code = re.search(r"\{\{|\{%", line)
            if code:
                name = f"{docs_dir.name}/{path.relative_to(docs_dir).as_posix()}"
                problems.append(Problem(name, offset + 2, f"'{code.group()}' is not allowed in front "
                                        "matter (the lines between the two ---): front matter is "
                                        "never run as a template; write the value as plain text"))
    return problems
