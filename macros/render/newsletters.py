"""The forums' newsletters on the site: the lists (forum and home pages), the header and
footer of each newsletter's page, and the sanitiser every newsletter page goes through.

A newsletter is written by forum members, so it is untrusted text: its title and summary are
escaped wherever they appear (the templates autoescape), and its page, once Markdown has
made it HTML, is reduced to an allow-list of HTML (`sanitise`).
"""

from __future__ import annotations

import datetime as dt
import re

import nh3
from markupsafe import Markup

from macros.data.newsletters import FORUMS, Newsletter, newest_first
from macros.render.templates import render


def _month(date: dt.date) -> str:
    """How a newsletter's date is shown: the month it was sent ("February 2023")."""
    return f"{date:%B %Y}"


def _item(n: Newsletter, to_root: str, directory_urls: bool) -> dict:
    return {"title": n.title, "summary": n.summary, "href": to_root + n.url(directory_urls),
            "forum_name": FORUMS[n.forum], "date": n.date.isoformat(), "month": _month(n.date)}


def render_list(items: list[Newsletter], forum: str, to_root: str, directory_urls: bool = True,
                ) -> Markup:
    """A forum's newsletters, newest first, with the feed link. Pure: data in, HTML out."""
    if forum not in FORUMS:
        raise ValueError(f"newsletters(): '{forum}' is not a forum; write one of: "
                         f"{', '.join(FORUMS)}")
    mine = newest_first([n for n in items if n.forum == forum])
    return render("app-newsletter-list.html", items=[_item(n, to_root, directory_urls) for n in mine],
                  feed=f"{to_root}forums/{forum}/feed.xml", forum_name=FORUMS[forum])


def render_latest(items: list[Newsletter], to_root: str, directory_urls: bool = True) -> Markup:
    """The latest newsletter of each forum that has one (home page); empty when none has."""
    latest = [mine[0] for forum in FORUMS if (mine := newest_first([n for n in items if n.forum == forum]))]
    return render("app-newsletter-latest.html",
                  items=[_item(n, to_root, directory_urls) for n in latest])


def page_header(item: Newsletter) -> str:
    """Markdown put before a newsletter's text: its title (the page's only h1), the month it
    was sent and a link back to its forum's list."""
    return str(render("app-newsletter-header.html", title=item.title, date=item.date.isoformat(),
                      month=_month(item.date), forum_name=FORUMS[item.forum])) + "\n\n"


def page_footer(item: Newsletter) -> str:
    """HTML put after a newsletter's text: what is still to be confirmed, if anything."""
    if not item.to_confirm:
        return ""
    return "\n\n" + str(render("app-newsletter-footer.html", what=item.to_confirm)) + "\n"


# What a newsletter's page may hold once Markdown has made it HTML: text, headings, lists,
# tables, links and quotes; no script, style, form, frame or image from anywhere but here.
_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
         "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
         "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
         "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul"}
_ATTRIBUTES = {"*": {"id", "title", "lang"}, "a": {"href"}, "abbr": {"title"},
               "img": {"src", "alt", "width", "height"}, "time": {"datetime"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
_CLASSES = {"a": {"headerlink"}, "p": {"app-newsletter-meta", "app-newsletter-tbc", "admonition-title"},
            "span": {"app-tbc"},
            "div": {"admonition", "note", "tip", "warning", "info", "abstract", "example", "quote"}}
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,80}")


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """Ids only in the form Markdown gives headings (never one the theme's scripts look up,
    which start with '__'), and images only from this site."""
    if attribute == "id":
        return value if _ID.fullmatch(value) else None
    if element == "img" and attribute == "src":
        return value if not re.match(r"[a-z][a-z0-9+.-]*:|//", value, re.IGNORECASE) else None
    return value


def sanitise(html: str) -> str:
    """A newsletter page's HTML reduced to the allow-list above (nh3, the Rust ammonia
    sanitiser): no script, no event handler or style attribute, links only http(s), mailto or
    tel, or within the site."""
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
                      url_schemes={"http", "https", "mailto", "tel"}, attribute_filter=_attribute,
                      link_rel=None, strip_comments=True)
    return re.sub(r"<a>(.*?)</a>", r"\1", clean, flags=re.DOTALL)  # a link that lost its address
