"""Canonical source addresses: a citation without the tracking parameters that feeds, newsletters
and share buttons add (utm_*, Reuters' feedType, Facebook's fbclid...), so one report is one
address, and a reader's click is not counted for a campaign.

Hand-written (a dozen lines over urllib): the libraries that do it (courlan, w3lib) bring much
more than this needs. The query is rebuilt only when something is removed, so an address keeps
its own spelling otherwise.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = re.compile(
    r"utm_\w*|feedtype|feedname|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ocid|cmpid|ref|ref_src|_ga",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """`url` without tracking parameters (and without the `?` if none is left)."""
    url = url.strip()
    parts = urlsplit(url)
    if not parts.query:
        return url
    given = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in given if not TRACKING.fullmatch(name)]
    if len(kept) == len(given):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))
