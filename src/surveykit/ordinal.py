"""Read answer labels as points on a scale: which comes first, and which are positive.

Inference meets scales no preset lists: "Completely satisfied" above "Very satisfied",
"Somewhat not open", "Often / Always", "Good for health". Each label is read as an
*intensity* ("very" 2, "somewhat" 0.5, "not at all" -3 ...) applied to a *pole*
("satisfied" +1, "dissatisfied" -1), or looked up in the unipolar vocabularies of
frequency and extent. A set of labels is a scale when every label reads on one common pole
(neutral answers such as "Neither ... nor ..." join any), and no two labels land on the same
point. Anything else (team names, job titles) reads as no scale at all: the rules only
order labels, they never invent them. Breakdown groups get an order too where one exists:
SPSS code order, or numeric order for bands ("under 18", "18-24" .. "65 or over").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from surveykit.model import normalise_label
from surveykit.presets import NOT_APPLICABLE_PATTERN

__all__ = ["Ordering", "is_not_applicable", "order_groups", "order_labels", "read_label"]

NEUTRAL = "*"  # the family of a neutral answer: it joins any scale

_INTENSITY = [
    (("extremely", "completely", "totally", "absolutely", "entirely", "fully"), 3.0),
    (("very", "strongly", "highly", "really", "very much", "greatly"), 2.0),
    (("fairly", "quite", "moderately", "reasonably", "mostly"), 0.75),
    (("somewhat", "slightly", "a little", "a bit", "mildly", "partly", "partially", "rather",
      "a little bit", "kind of"), 0.5),
]
_MODIFIER = {w: v for words, v in _INTENSITY for w in words}
_WORDS = "|".join(sorted(map(re.escape, _MODIFIER), key=len, reverse=True))
_MODIFIER_RE = re.compile(rf"^({_WORDS})\s+")
_TRAILING_RE = re.compile(rf"\s+({_WORDS})$")

# Opposite poles without a shared stem: word -> (pole, sign).
_POLES = {
    "agree": ("agree", 1), "disagree": ("agree", -1),
    "satisfied": ("satisfied", 1), "dissatisfied": ("satisfied", -1),
    "unsatisfied": ("satisfied", -1),
    "likely": ("likely", 1), "unlikely": ("likely", -1),
    "favorably": ("favourably", 1), "favourably": ("favourably", 1),
    "unfavorably": ("favourably", -1), "unfavourably": ("favourably", -1),
    "favorable": ("favourably", 1), "favourable": ("favourably", 1),
    "unfavorable": ("favourably", -1), "unfavourable": ("favourably", -1),
    "easy": ("easy", 1), "difficult": ("easy", -1), "hard": ("easy", -1),
    "good": ("good", 1), "bad": ("good", -1), "poor": ("good", -1),
    "excellent": ("good", 3), "terrible": ("good", -3), "awful": ("good", -3),
    "better": ("better", 1), "worse": ("better", -1),
    "positive": ("positive", 1), "negative": ("positive", -1),
    "increased": ("increased", 1), "decreased": ("increased", -1),
    "improved": ("improved", 1), "worsened": ("improved", -1),
    "interested": ("interested", 1), "uninterested": ("interested", -1),
    "disinterested": ("interested", -1), "useful": ("useful", 1), "useless": ("useful", -1),
}
# Fixed points: unipolar vocabularies, where order is known but there is no opposite pole.
_FIXED = {
    "frequency": {
        "never": 0, "almost never": 0.5, "hardly ever": 0.5, "very rarely": 0.6, "rarely": 1,
        "seldom": 1, "occasionally": 1.8, "sometimes": 2, "about half the time": 2,
        "often": 3, "frequently": 3, "fairly often": 2.8, "very often": 3.5,
        "very frequently": 3.5, "usually": 3.4, "most of the time": 3.5,
        "often / always": 3.6, "often/always": 3.6, "almost always": 3.8, "always": 4,
    },
    "extent": {
        "not at all": 0, "to a small extent": 1, "to a little extent": 1, "a little": 1,
        "to some extent": 2, "to a moderate extent": 2, "to a large extent": 3,
        "to a great extent": 3, "a lot": 3, "a great deal": 4, "to a very large extent": 4,
        "to a very great extent": 4,
    },
    "yesno": {"no": -1, "maybe": 0, "sometimes": 0, "partly": 0, "yes": 1},
    "level": {"very low": 0, "low": 1, "medium": 2, "moderate": 2, "high": 3,
              "very high": 4},
    "good": {"fair": 0, "average": 0, "adequate": 0, "ok": 0, "okay": 0, "acceptable": 0},
}
_NEUTRAL_WORDS = {"neutral", "neither", "undecided", "mixed", "in between", "indifferent",
                  "neither/nor", "no preference", "about the same", "the same"}
#: Families whose two poles are opposites: polarity follows the sign of each label.
#: Others (frequency, extent, "not at all important" .. "extremely important") are split by
#: rank: the top points positive, the bottom negative.
BIPOLAR = {"agree", "satisfied", "likely", "favourably", "easy", "good", "better",
           "positive", "increased", "improved", "yesno", "interested", "useful"}


def is_not_applicable(label: object) -> bool:
    """"Don't know", "Unfamiliar (N/A)", "Not applicable to me" ...: outside the base."""
    return bool(NOT_APPLICABLE_PATTERN.search(normalise_label(label)))


def _core_readings(core: str) -> list[tuple[str, float]]:
    """(pole, sign) readings of a label stripped of its intensity words."""
    words = core.split()
    if not words:
        return []
    first, tail = words[0], " ".join(words[1:])
    readings = []
    if first in _POLES:
        pole, sign = _POLES[first]
        readings.append((f"{pole}|{tail}" if tail else pole, float(sign)))
    elif len(words) <= 2 and re.fullmatch(r"[a-z][a-z'-]{2,}", first):
        # Unknown adjective: "open" / "un-open" pair up by stem, as "X" and "not X" do.
        readings.append((f"{first}|{tail}" if tail else first, 1.0))
        m = re.match(r"^(un|dis|in|im|ir|il)(?P<rest>[a-z]{4,})$", first)
        if m:
            rest = m["rest"]
            readings.append((f"{rest}|{tail}" if tail else rest, -1.0))
    return readings


def read_label(label: object) -> list[tuple[str, float]]:
    """Every (family, position) reading of one answer label; empty when it reads as none.

    Examples
    --------
    >>> read_label("Very satisfied")
    [('satisfied', 2.0)]
    >>> read_label("Somewhat not open")
    [('open', -0.5)]
    """
    key = normalise_label(label)
    key = re.sub(r"\s*\((neutral|n/a)\)\s*$", "", key)
    key = key.strip(" .!;:")
    readings = [(family, float(points[key])) for family, points in _FIXED.items()
                if key in points]
    if key in _NEUTRAL_WORDS or re.match(r"^neither\b.*\b(nor|or)\b", key):
        return [(NEUTRAL, 0.0)]
    if readings:
        return readings
    negated, intensity = False, 1.0
    m = re.match(r"^not (at all )?(?P<rest>.+?)( at all)?$", key)
    if m:
        negated = True
        intensity = 3.0 if (m.group(1) or m.group(3)) else 1.0
        key = m["rest"]
    m = _MODIFIER_RE.match(key) or _TRAILING_RE.search(key)
    if m:
        intensity *= _MODIFIER[m.group(1)]
        key = (key[m.end():] if m.start() == 0 else key[:m.start()]).strip()
        if key.startswith("not "):
            negated, key = not negated, key[4:]
    out = []
    for family, sign in _core_readings(key):
        strength = abs(sign) if abs(sign) > 1 else 1.0
        out.append((family, (-1 if negated else 1) * (1 if sign > 0 else -1)
                    * strength * intensity))
    return out


@dataclass(frozen=True)
class Ordering:
    """Labels read as one scale.

    Attributes
    ----------
    family
        The pole they share ("satisfied", "frequency" ...).
    labels
        Substantive labels, most negative first.
    positions
        Their points on the scale (same order).
    not_applicable
        Labels read as outside the base ("Don't know").
    aliases
        Other spellings that landed on the same point as a label: ``(alias, label)``.
    """

    family: str
    labels: tuple[str, ...]
    positions: tuple[float, ...]
    not_applicable: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def bipolar(self) -> bool:
        """Opposite poles: the sign of each point says positive or negative."""
        return self.family.split("|")[0] in BIPOLAR or any(p < 0 for p in self.positions) \
            and any(p > 0 for p in self.positions) and 0.0 in self.positions

    def polarity(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(positive, neutral, negative) labels."""
        if self.bipolar:
            pos = tuple(lab for lab, p in zip(self.labels, self.positions) if p > 0)
            neu = tuple(lab for lab, p in zip(self.labels, self.positions) if p == 0)
            neg = tuple(lab for lab, p in zip(self.labels, self.positions) if p < 0)
            if pos and neg:
                return pos, neu, neg
        return split_by_rank(self.labels)


def split_by_rank(labels: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...],
                                                    tuple[str, ...]]:
    """Top half positive, bottom half negative, an odd scale's middle neutral."""
    k = len(labels)
    half = k // 2
    return labels[k - half:], labels[half:k - half], labels[:half]


def order_labels(labels: Iterable[str], counts: dict[str, int] | None = None) -> Ordering | None:
    """Read a set of answers as one ordered scale, or None when they are not one.

    Parameters
    ----------
    labels
        Distinct answers as written (any case).
    counts
        How often each was given: the most common spelling names a point.
    """
    counts = counts or {}
    na: dict[str, str] = {}
    readings: dict[str, list[tuple[str, float]]] = {}
    spelling: dict[str, str] = {}
    for label in labels:
        key = normalise_label(label)
        if not key:
            continue
        if key in spelling and counts.get(label, 0) <= counts.get(spelling[key], 0):
            continue
        spelling[key] = label
        if is_not_applicable(label):
            na[key] = label
            continue
        found = read_label(label)
        if not found:
            return None
        readings[key] = found
    if len(readings) < 2:
        return None
    families = None
    for found in readings.values():
        fams = {f for f, _ in found}
        if NEUTRAL in fams:
            continue
        families = fams if families is None else families & fams
    if not families:
        return None
    family = min(families, key=lambda f: (f not in _FIXED and f.split("|")[0]
                                          not in _POLES, f))
    points: dict[float, list[str]] = {}
    for key, found in readings.items():
        pos = next(p for f, p in found if f in (family, NEUTRAL))
        points.setdefault(pos, []).append(key)
    known = family in _FIXED or family.split("|")[0] in {p for p, _ in _POLES.values()}
    if len(points) < (2 if known else 3):
        return None  # "Married" / "Not married" is a pair of groups, not a scale
    labels_out, aliases = [], []
    for pos in sorted(points):
        keys = sorted(points[pos], key=lambda k: -counts.get(spelling[k], 0))
        labels_out.append(spelling[keys[0]])
        aliases += [(spelling[k], spelling[keys[0]]) for k in keys[1:]]
    return Ordering(family=family, labels=tuple(labels_out), positions=tuple(sorted(points)),
                    not_applicable=tuple(na.values()), aliases=tuple(aliases))


def _band_key(label: str) -> float:
    m = re.search(r"\d[\d,]*(\.\d+)?", label)
    if m is None:
        return float("inf")
    number = float(m.group(0).replace(",", ""))
    text = label.casefold()
    if re.search(r"under|less than|below|fewer than|<|up to", text):
        number -= 0.5
    return number


def order_groups(counts: Counter, labels: dict | None) -> tuple[str, ...]:
    """Groups in a meaningful order: SPSS code order, or numeric order for bands
    ("18-24", "25-34" ... "65 or over"); () leaves the alphabetical default.

    ``counts`` maps each answer (as written) to how many gave it.
    """
    spelling: dict[str, str] = {}
    for text, _ in counts.most_common():
        spelling.setdefault(normalise_label(text), text)
    if labels:
        ordered = [str(lab) for lab in labels.values() if normalise_label(lab) in spelling]
        rest = [t for k, t in spelling.items() if k not in {normalise_label(o) for o in ordered}]
        return tuple(dict.fromkeys(ordered + sorted(rest)))
    groups = list(spelling.values())
    numbered = [g for g in groups if re.search(r"\d", g)]
    if len(groups) >= 3 and len(numbered) >= 0.6 * len(groups):
        return tuple(sorted(groups, key=lambda g: (_band_key(g), normalise_label(g))))
    return ()
