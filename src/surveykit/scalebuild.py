"""Build :class:`Scale` objects from what inference saw in the data.

Three sources: text answers read by :mod:`surveykit.ordinal` (pooled over every column that
uses the same words), SPSS value labels (ordered by code), and numbers with or without
anchor words ("1 - Completely uninterested", "5 - Highly interested"). A text scale whose
labels all belong to a preset *is* that preset, so the codebook says ``agree5`` and the
report uses the canonical wording; otherwise the labels are kept as respondents saw them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from surveykit.model import Scale, normalise_label
from surveykit.ordinal import Ordering, is_not_applicable, order_labels, split_by_rank
from surveykit.presets import TEXT_PRESETS, numeric_scale

__all__ = ["ScaleNames", "anchored_numbers", "coded_scale", "preset_polarity", "text_scale"]

_ANCHORED = re.compile(r"^\s*(?P<code>[-+]?\d+)(\.0+)?\s*(?:(?:[-\u2013\u2014:=.)]|\()\s*"
                       r"(?P<anchor>.*?)\)?)?\s*$")


class ScaleNames:
    """Give every distinct scale a distinct codebook name (``agree5``, ``agree5_2`` ...)."""

    def __init__(self) -> None:
        # Presets' names are taken: a scale called "frequency5" must be the preset.
        self._by_name: dict[str, Scale] = {}
        self._reserved = {p.name: p for p in TEXT_PRESETS}

    def register(self, scale: Scale) -> Scale:
        """``scale`` under a free name, or the registered scale with the same content."""
        for known in self._by_name.values():
            if Scale(**{**scale.__dict__, "name": known.name}) == known:
                return known
        name, n = scale.name, 1
        while (name in self._by_name and self._by_name[name] != scale) or (
                name in self._reserved and Scale(**{**self._reserved[name].__dict__,
                                                    "not_applicable": scale.not_applicable})
                != scale):
            n += 1
            name = f"{scale.name}_{n}"
        if name != scale.name:
            scale = Scale(**{**scale.__dict__, "name": name})
        self._by_name[name] = scale
        return scale


def _na_tuple(labels: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for lab in labels:
        seen.setdefault(normalise_label(lab), str(lab).strip())
    return tuple(seen.values())


def preset_polarity(labels: tuple[str, ...]) -> tuple[tuple[str, ...], ...] | None:
    """(positive, neutral, negative) from the first preset that knows every label."""
    keys = [normalise_label(lab) for lab in labels]
    for preset in TEXT_PRESETS:
        lookup = preset.lookup()
        if all(k in lookup for k in keys):
            cats = [preset.categories[lookup[k]] for k in keys]
            groups = tuple(tuple(lab for lab, c in zip(labels, cats) if c in getattr(preset, g))
                           for g in ("positive", "neutral", "negative"))
            if groups[0] and groups[2]:
                return groups
    return None


def preset_name(labels: tuple[str, ...]) -> str | None:
    """The preset whose labels these are, one for one (SPSS "1 = No, 2 = Yes" is yesno)."""
    keys = [normalise_label(lab) for lab in labels]
    for preset in TEXT_PRESETS:
        lookup = preset.lookup()
        if all(k in lookup for k in keys) and len({lookup[k] for k in keys}) == preset.k \
                == len(keys):
            return preset.name
    return None


def text_scale(ordering: Ordering) -> Scale:
    """The scale for a family of text answers: a preset when every label belongs to one."""
    na = _na_tuple(ordering.not_applicable)
    keys = {normalise_label(lab) for lab in ordering.labels}
    for preset in TEXT_PRESETS:
        if keys <= set(preset.lookup()) and len(keys) >= min(3, preset.k):
            return Scale(**{**preset.__dict__, "not_applicable": na})
    pos, neu, neg = ordering.polarity()
    name = f"{ordering.family.split('|')[0]}{len(ordering.labels)}"
    name = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    aliases = tuple((a, t) for a, t in ordering.aliases if t in ordering.labels)
    return Scale(name=name, labels=ordering.labels, positive=pos, neutral=neu, negative=neg,
                 not_applicable=na, aliases=aliases)


def _code_text(code: object) -> str:
    try:
        number = float(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(code)
    return str(int(number)) if number.is_integer() else repr(number)


def coded_scale(name: str, value_labels: dict, seen: Iterable[str],
                missing: Iterable[str]) -> Scale | None:
    """A scale from SPSS value labels, ordered by code; None for a nominal variable.

    ``seen`` are the answers in the column (labels, or code text for unlabelled codes);
    ``missing`` the user-missing ones. The labels are ordered when they read as one scale
    whose points rise (or fall) with the code, or when only the ends are labelled
    ("1 = very poor" .. "10 = very good").
    """
    missing = set(missing)
    na_pairs, points = [], []
    for code, label in value_labels.items():
        if label in missing or is_not_applicable(label):
            na_pairs.append((code, label))
        else:
            points.append((code, label))
    numeric = all(isinstance(c, (int, float)) for c, _ in points)
    labelled = {lab for _, lab in points}
    extra = [s for s in seen if s not in labelled and s not in missing
             and not any(s == lab for _, lab in na_pairs)]
    if extra:
        if not numeric or not all(re.fullmatch(r"[-+]?\d+", s) for s in extra):
            return None
        points += [(float(s), s) for s in extra]
    if numeric and points and all(float(c).is_integer() for c, _ in points):
        # "1 = very poor" .. "10 = very good": the unlabelled points between are the scale's
        have = {int(c) for c, _ in points}
        if max(have) - min(have) + 1 <= 11:
            points += [(float(c), str(c)) for c in range(min(have), max(have) + 1)
                       if c not in have]
    points.sort(key=lambda cl: float(cl[0]) if numeric else str(cl[0]))
    if len(points) < 2:
        return None
    texts = tuple(lab for _, lab in points)
    anchors = [(c, lab) for c, lab in points if not re.fullmatch(r"[-+]?\d+", lab)]
    ordering = order_labels([lab for _, lab in anchors])
    if ordering is None:
        # Only "1 = very poor" .. "10 = very good" style: labelled ends, numbers between.
        ends = {points[0][1], points[-1][1]}
        if len(anchors) == len(points) or len(anchors) > 2 or not all(
                lab in ends for _, lab in anchors) or len(points) < 4:
            return None
    else:
        rank = {normalise_label(lab): p for lab, p in zip(ordering.labels, ordering.positions)}
        for alias, target in ordering.aliases:
            rank[normalise_label(alias)] = rank[normalise_label(target)]
        ranks = [rank[normalise_label(lab)] for _, lab in anchors]
        rising = all(a < b for a, b in pairwise(ranks))
        falling = all(a > b for a, b in pairwise(ranks))
        if not (rising or falling):
            return None
        if falling:
            points.reverse()
            texts = tuple(reversed(texts))
    complete = len(anchors) == len(points)
    polarity = preset_polarity(texts) if complete else None
    if polarity is None and complete and ordering is not None:
        order = {normalise_label(lab): i for i, lab in enumerate(ordering.labels)}
        if [order.get(normalise_label(t)) for t in texts] == sorted(order.values()):
            polarity = Ordering(ordering.family, texts, tuple(
                rank[normalise_label(t)] for t in texts)).polarity()
    pos, neu, neg = polarity or split_by_rank(texts)
    preset = preset_name(texts) if complete else None
    codes = tuple(float(c) for c, _ in points) if numeric else None
    if codes is not None and any(re.fullmatch(r"[-+]?\d+(\.\d+)?", t) and float(t) != c
                                 for t, c in zip(texts, codes)):
        codes = None  # a label that is itself another code's number would clash
    na_labels = tuple(dict.fromkeys(lab for _, lab in na_pairs))
    na_labels += tuple(m for m in missing if m not in na_labels)
    na_codes = tuple(float(c) for c, _ in na_pairs if isinstance(c, (int, float)))
    if len(na_codes) != len(na_labels) or codes is None:
        na_codes = ()
    slug = preset or re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")[:30] or "scale"
    return Scale(name=slug, labels=texts, positive=pos, neutral=neu, negative=neg,
                 not_applicable=na_labels, codes=codes, not_applicable_codes=na_codes)


def anchored_numbers(values: Iterable[str]) -> tuple[int, int, tuple[tuple[str, str], ...],
                                                     bool] | None:
    """Read "1 - Completely uninterested", "2" .. "5 - Highly interested" as numbers.

    Returns
    -------
    (low, high, aliases, reversed) or None
        ``aliases`` map each anchored answer to its number; ``reversed`` is True when the
        anchors say the low end is the positive one ("1 = Strongly agree").
    """
    codes, aliases, anchors = set(), [], {}
    for value in values:
        m = _ANCHORED.match(str(value))
        if not m:
            return None
        code = int(m["code"])
        codes.add(code)
        if m["anchor"]:
            aliases.append((str(value).strip(), str(code)))
            anchors[code] = m["anchor"]
    if not anchors or len(codes) < 3:
        return None
    lo, hi = min(codes), max(codes)
    if lo not in (0, 1) or not 4 <= hi - lo + 1 <= 11:
        return None
    reverse = False
    ends = [anchors.get(c) for c in (min(anchors), max(anchors))]
    ordering = order_labels([e for e in ends if e]) if ends[0] != ends[1] else None
    if ordering is not None and len(ordering.labels) == 2:
        first = normalise_label(ends[0])
        reverse = normalise_label(ordering.labels[-1]) == first
    return lo, hi, tuple(aliases), reverse


def numeric_with_aliases(lo: int, hi: int, aliases: Iterable[tuple[str, str]]) -> Scale:
    """``numeric_scale`` plus the anchored spellings of its points."""
    base = numeric_scale(hi - lo + 1, low=lo)
    pairs = tuple(sorted({(a, t) for a, t in aliases if t in base.labels}))
    return Scale(**{**base.__dict__, "aliases": pairs}) if pairs else base
