"""Short regional and numeric affixes that turn one chat's tag into a sibling's.

Chats spin off regional editions by adding a country or region code (``#hcsm`` → ``#hcsmca``,
``#hcsmeufr``; ``#edchat`` → ``#ukedchat``) or a number (``#chat2lrn``). A new tag that is an
existing one plus such an affix reads as part of that family, so it deserves a caution.
"""

from __future__ import annotations

import functools

__all__ = ["is_region_affix"]

# ISO 3166-1 alpha-2 codes (as in tzdata's iso3166.tab), written out so domain/ reads no files.
_ISO_ALPHA2 = """
ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq
br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm
do dz ec ee eg eh er es et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs
gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn
kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq
mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm
pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv
sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi
vn vu wf ws ye yt za zm zw
"""
# Regions and places chat hosts use that are not ISO alpha-2 codes.
_OTHER_REGIONS = """
uk eu usa anz aus can apac emea latam asia africa nyc ldn la sf dc tx ny ca nsw vic qld
"""


@functools.cache
def _regions() -> frozenset[str]:
    return frozenset((_ISO_ALPHA2 + _OTHER_REGIONS).split())


def is_region_affix(text: str, *, numeric: bool = True) -> bool:
    """Whether `text` is a region code, two codes run together (``eufr``), or 1-4 digits."""
    if numeric and text.isdigit() and 1 <= len(text) <= 4:
        return True
    regions = _regions()
    if text in regions:
        return True
    return len(text) == 4 and text[:2] in regions and text[2:] in regions
