"""Language codes as file names, folders and frontmatter write them.

ISO 639-1 is the standard; the aliases are what repositories write instead (`README_jp.md`,
`README_kr.md`, `README_CN.md`). A code may carry a region or script (`pt-BR`, `zh_Hant`, `es-419`).
"""

from __future__ import annotations

import re

_ISO_639_1_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu
"""
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
# Names written for a language that are not its ISO 639-1 code (or are another language's code:
# `kr` is Kanuri and `tw` Twi in ISO, but a README_kr.md is Korean and a README_tw.md Chinese).
ALIASES = {
    "english": "en",
    "cn": "zh",
    "chs": "zh",
    "cht": "zh",
    "tw": "zh",
    "hk": "zh",
    "chinese": "zh",
    "jp": "ja",
    "kr": "ko",
    "ua": "uk",
    "cz": "cs",
    "vn": "vi",
    "gr": "el",
}
_SUBTAG = re.compile(r"^(?:[a-z]{2}|hans|hant|latn|cyrl|\d{3})$")


def language_of_code(code: str) -> str | None:
    """The ISO 639-1 code a language code names (`zh-Hans` → `zh`, `pt_BR` → `pt`,
    `jp` → `ja`), or None for anything else."""
    parts = re.split(r"[-_]", code.strip().lower(), maxsplit=1)
    primary = ALIASES.get(parts[0], parts[0])
    if primary not in ISO_639_1:
        return None
    if len(parts) == 2 and not _SUBTAG.match(parts[1]):
        return None
    if len(parts) == 2 and parts[0] in ALIASES and primary != "zh":
        return None  # `jp-…`, `kr-…`: an alias takes no region
    return primary
