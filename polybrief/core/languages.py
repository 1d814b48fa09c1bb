"""Language codes: which are real, and reading a language pair from WMT-style file names."""
from __future__ import annotations

from .errors import PolybriefError, did_you_mean

# ISO 639-1 (two-letter) codes, the ones sacreBLEU, WMT and fastText language id use.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne
ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st
su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())


def check_language(code: str, where: str = "language") -> str:
    """``code`` lower-cased when it is an ISO 639-1 code (a region suffix such as zh-TW is kept), else
    a one-line error naming where it came from."""
    value = code.strip()
    base = value.split("-")[0].split("_")[0].lower()
    if base not in ISO_639_1:
        raise PolybriefError(f"{where}: unknown language code {code!r}{did_you_mean(base, sorted(ISO_639_1))}; "
                             "give a two-letter ISO 639-1 code such as en, de, ja")
    return base + value[len(base):]


__all__ = ["ISO_639_1", "check_language"]
