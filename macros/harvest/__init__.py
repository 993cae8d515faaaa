"""The harvester (`make harvest`): gathers free safeguarding training from the providers of
data/providers.yaml and appends it to data/training.yaml for review in a pull request.

One module per step, each short and, apart from `fetch` and `write`, pure:
`fetch` (HTTP, robots.txt, cache; `policy`: which addresses and redirects) -> `parse`
(feeds to `item.Item`s: RSS, Atom and HTML listings there, `ical` for calendars with their
recurring events, `jsonld` for schema.org events; `when`: their dates) -> `mapping`
(filters, items to courses; `price`: free or not) -> `dedupe` (indexed by provider, date and
time) -> `write` (append within the 2 MB limit, validate, verify) -> `summary` (Markdown;
feed text as inert code).
`run` ties them together. The contract is docs in README.md, "Free training from providers".
"""
