"""Splitting an all-lowercase compound hashtag into words, to suggest a CamelCase spelling.

``#indiedevhour`` is hard to read and screen readers spell it out; ``#IndieDevHour`` is not.
No maintained word-segmentation package ships with launchkit, so this is a small dynamic
programme over a word list of the vocabulary chat tags are made of (topics, roles, chat words,
common short words). A tag is split only when every piece is a known word, or all but one
piece of at least three letters are, so a wrong split is unlikely; when in doubt, no advice.
"""

from __future__ import annotations

import functools

__all__ = ["camel_case", "split_words"]

_WORDS = """
ability access act action ad ads advice age ag agile ai all alt am an and app apps art arts
ask at author authors baby bake bank be beauty beer best big biz black blog blogger bloggers
blogging blogs book books boss brand brands build business buy by café cafe camp can car care
career careers cat chat chats chef child children church city class clean climate cloud club
code coder coders coding coffee comic comics comms community content cook cooking craft crafts
create creative credit crime crypto culture cup custom customer cyber daily data date day de
deaf design designer dev devs diet digital disability diverse dog dogs dream drink early earth
eat eco ed edu education eight energy eng english equity ethic ethical event events
museum museums cuppa prof profs curator newbie newbies ever every
eye fair faith family fan fans farm fashion fast film finance first fit fitness five fix food
for four free friday fun fund game gamer gamers games gaming garden gardening gay geek gen get
girl girls give global go good green grow growth guild hack hair happy health healthcare heart
help her hiring his history home hope hour hours house how hr human idea ideas in inclusion
indie info ink innovation is it job jobs join journal just kid kids kind lab law lead leader
leaders leadership learn learning legal less lib libraries library life lit live local love
made make maker makers mama manager market marketing med media medical meet men mental mind
mobile mom moms monday money more music my nature net new news next night no nurse nurses
nutrition of off on one online open our out owner parent parents pay people pet pets photo
pitch plan plant plants play pod podcast poet poetry policy power pr pro product project
public read reader readers reading real recipe remote research retail rights run runner
running saturday school science sci self sell seo serial share shop sister sleep small smart
social soft space speak sport sports staff start startup startups state stem story stories
strategy student students study style sunday support sustainable table talk tea teach teacher
teachers teaching team tech the think three thursday time tips to today top tour trade travel
trend trends true tuesday tv two uk up ux video vegan voice vote war water we web wednesday
well wellness wine with woman women word words work world write writer writers writing ya yoga
you young your youth zero
"""
_LONGEST_WORD = 14


@functools.cache
def _vocabulary() -> frozenset[str]:
    return frozenset(_WORDS.split())


def split_words(text: str) -> list[str] | None:
    """Pieces of a lowercase compound (``indiedevhour`` → indie, dev, hour), or None.

    None when the text does not split into at least two pieces of which every one is a known
    word, save at most one unknown piece of three letters or more.
    """
    words = _vocabulary()
    n = len(text)
    # best[i] = (letters in unknown pieces, pieces so far, the pieces) for text[:i]; the
    # fewest unknown letters wins, then the fewest pieces (so "indie" beats "in" + "die").
    best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, 0, [])
    for end in range(1, n + 1):
        for start in range(max(0, end - _LONGEST_WORD), end):
            before = best[start]
            if before is None:
                continue
            piece = text[start:end]
            known = piece in words
            unknown_pieces = sum(1 for p in before[2] if p not in words)
            if not known and (len(piece) < 3 or unknown_pieces >= 1):
                continue
            cost = (before[0] + (0 if known else len(piece)), len(before[2]) + 1)
            current = best[end]
            if current is None or cost < current[:2]:
                best[end] = (*cost, [*before[2], piece])
    final = best[n]
    if final is None or len(final[2]) < 2 or final[0] * 2 > n:
        return None
    return final[2]


def camel_case(text: str) -> str | None:
    """The CamelCase spelling of an all-lowercase compound, or None when it cannot be split."""
    if not text.isalpha() or not text.islower():
        return None
    pieces = split_words(text)
    if pieces is None:
        return None
    return "".join(piece[:1].upper() + piece[1:] for piece in pieces)
