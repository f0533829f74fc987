"""Fictional news pages with tables and lists in the article body, for training the boilerplate model.

Pages are in English and, from :mod:`synthetic_languages`, in the other languages of the
AEB dev set (and French and Spanish), so the model sees furniture and prose in each.

The AEB dev pages have few articles whose body is a table, a list or a recipe card
read line by line (a standings table one cell per line, a tour schedule, vote counts),
and a model trained on them learns that runs of short numeric lines are always
furniture: in cross-validation it dropped such a body whenever its own page was held
out.  These generated pages teach the other half: structured blocks that continue the
article (after a paragraph, a colon, a sub-heading) are content, and the same kinds of
blocks in a sidebar widget after the article's end (a markets ticker, a scores box
under a heading) are furniture.

Everything here is written for newsclean: templates, names, places and numbers are
invented and drawn with a fixed seed, so :func:`pages` returns the same pages on
every run (the training script depends on that to rebuild the model exactly).  The
pages only ever train; no score is measured on them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from synthetic_languages import LANGUAGES, NO_SPACES

__all__ = ["pages"]

Line = tuple[str, bool]  # (text, is article content)

SECTIONS = ["News", "World", "Local", "Politics", "Business", "Sport", "Football", "Culture", "Opinion", "Science",
            "Health", "Travel", "Food", "Weather", "Video", "Podcasts", "Money", "Tech", "Cars", "Homes"]
FIRST = ["Ada", "Bruno", "Clara", "Dmitri", "Esme", "Farid", "Greta", "Hugo", "Ines", "Jonah", "Kaori", "Lucia",
         "Milo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Soren", "Talia"]
LAST = ["Abbot", "Brenner", "Castillo", "Dunmore", "Eriksen", "Falk", "Grady", "Holm", "Ilves", "Jory", "Kessler",
        "Lindqvist", "Moreau", "Novak", "Orr", "Pryce", "Quill", "Rask", "Sato", "Tamm"]
TOWNS = ["Ashford", "Bellmoor", "Carrow", "Dunlin", "Eastwick", "Fairhaven", "Greyport", "Holloway", "Ivybridge",
         "Juniper Falls", "Kestrel Bay", "Lowmead", "Marlow Cross", "Northam", "Oakridge", "Pinecrest"]
TEAMS = ["Rovers", "United", "Athletic", "Wanderers", "City", "Harriers", "Rangers", "Albion", "Town", "Vale"]
VENUES = ["Riverside Arena", "Harbour Hall", "North Park Amphitheatre", "Civic Centre", "Old Mill Theatre"]
FOODS = ["flour", "butter", "sugar", "eggs", "milk", "salt", "lemon juice", "cinnamon", "oats", "honey", "pears",
         "apples", "rice", "onions", "garlic", "olive oil", "tomatoes", "spinach"]
UNITS = ["cups", "tbsp", "tsp", "g", "ml", "oz"]
SUBJECTS = ["The council", "The port authority", "Local officials", "The school board", "Residents",
            "The organisers", "The health trust", "Engineers", "The club", "Volunteers"]
VERBS = ["said on Monday that", "confirmed that", "warned that", "announced that", "told reporters that"]
CLAIMS = ["the work would take longer than planned", "the budget had risen by a fifth since the spring",
          "more staff would be hired before the winter", "the old building would be kept and repaired",
          "tickets had sold out within an hour", "the new timetable would start next month",
          "the results would be reviewed by an independent panel", "the river had risen faster than expected",
          "the changes were needed to keep the service running", "the site would reopen after the holidays",
          "nobody had been hurt when the roof gave way", "a second inquiry could not be ruled out",
          "the bridge was older than most people realised", "parking near the station would be free on Sundays",
          "the market had its busiest week in years", "two of the three ferries were back in service",
          "the rent rise had been paused while talks went on", "the orchard would be replanted next spring",
          "the new pool would cost less to heat than the old one", "a local builder had won the contract",
          "the festival was moving to a bigger field", "students would sit the exams in the town hall",
          "the clinic had seen twice as many patients as last year", "the path along the cliff was unsafe",
          "the museum was short of volunteers for the summer", "the fishing fleet had lost a third of its boats",
          "the plans had been redrawn after the consultation", "the library would lend tools as well as books",
          "flood barriers were being tested every month", "the last bus would now leave at midnight"]
TAILS = ["", ", according to a statement", " after a long meeting", ", despite objections from some members",
         " in a letter to residents"]
HEADLINES = ["{town} council backs plan for new footbridge", "Floods close roads around {town}",
             "{team} climb to second after late win", "Festival returns to {town} this summer",
             "Prices rise again at {town} market", "School in {town} to get new science wing",
             "Hospital in {town} opens night clinic", "{town} harbour to reopen after repairs"]
RELATED = ["Road resurfacing to start in {town} next week", "{team} sign young striker on loan",
           "Library in {town} extends opening hours", "New bus route links {town} and the coast",
           "Bakery in {town} wins regional award", "Storm warning issued for the west",
           "Council tax to rise by three per cent", "Museum gets funding for new gallery"]
FOOTER = ["About us", "Contact us", "Advertise with us", "Terms of use", "Privacy policy", "Cookie settings",
          "Accessibility", "Careers", "Help", "Sitemap"]


def _name(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


class _Claims:
    """The claims of one page, each used once (an article does not repeat its sentences; a repeat
    is what a hidden copy of the article looks like)."""

    def __init__(self, r: random.Random) -> None:
        self.left = r.sample(CLAIMS, len(CLAIMS))


_PAGE: _Claims | None = None


def _sentence(r: random.Random) -> str:
    claim = _PAGE.left.pop() if _PAGE and _PAGE.left else f"the count stood at {r.randint(100, 99999)}"
    return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {claim}{r.choice(TAILS)}."


def _paragraph(r: random.Random) -> str:
    return " ".join(_sentence(r) for _ in range(r.randint(1, 3)))


def _date(r: random.Random) -> str:
    day, month = r.randint(1, 28), r.choice(["January", "March", "May", "June", "September", "November"])
    return r.choice([f"{day} {month} 2025", f"{month} {day}, 2025, {r.randint(1, 12)}:{r.randint(10, 59)} pm",
                     f"Updated {r.randint(2, 23)} hours ago", f"{day:02d}/{r.randint(1, 12):02d}/2025"])


# -- structured article blocks (content) -----------------------------------------------------------


def _standings(r: random.Random) -> list[str]:
    lines = ["The table after the latest round:", "Pos", "Team", "P", "W", "D", "L", "Pts"]
    teams = r.sample([f"{t} {s}" for t in TOWNS for s in TEAMS], r.randint(5, 12))
    points = sorted((r.randint(5, 60) for _ in teams), reverse=True)
    for pos, (team, pts) in enumerate(zip(teams, points, strict=True), 1):
        played = r.randint(10, 30)
        won = min(played, pts // 3)
        drawn = min(played - won, pts - 3 * won)
        lines += [str(pos), team, str(played), str(won), str(drawn), str(played - won - drawn), str(pts)]
    return lines


def _results(r: random.Random) -> list[str]:
    lines = ["Saturday's results:"]
    for _ in range(r.randint(4, 10)):
        a, b = r.sample(TOWNS, 2)
        lines.append(f"{a} {r.choice(TEAMS)} {r.randint(0, 5)}-{r.randint(0, 5)} {b} {r.choice(TEAMS)}")
    return lines


def _recipe(r: random.Random) -> list[str]:
    lines = ["Ingredients"]
    for food in r.sample(FOODS, r.randint(4, 9)):
        lines.append(f"{r.choice(['1', '2', '3', '1/2', '1 1/2', '200', '250'])} {r.choice(UNITS)} {food}")
    lines.append("Method")
    for step in range(1, r.randint(3, 7)):
        lines.append(f"{step}. {r.choice(['Mix', 'Stir', 'Heat', 'Fold', 'Bake', 'Simmer'])} the "
                     f"{r.choice(FOODS)} {r.choice(['gently', 'for ten minutes', 'until golden', 'over a low heat'])}.")
    return lines


def _schedule(r: random.Random) -> list[str]:
    lines = [r.choice(["Tour dates:", "Where to see them", "The full schedule"])]
    for _ in range(r.randint(5, 14)):
        lines.append(f"{r.choice(['June', 'July', 'August'])} {r.randint(1, 30)} – {r.choice(TOWNS)} @ "
                     f"{r.choice(VENUES)}")
    return lines


def _prices(r: random.Random) -> list[str]:
    lines = [r.choice(["Ticket prices", "What it costs:", "Prices"])]
    for who in r.sample(["Adults", "Children", "Students", "Seniors", "Families", "Members", "Groups of ten"], 4):
        lines.append(f"{who}: £{r.randint(3, 40)}")
    lines.append(f"Box office: 0{r.randint(100, 999)} {r.randint(100000, 999999)}")
    return lines


def _poll(r: random.Random) -> list[str]:
    lines = [r.choice(["Vote for your favourite:", "Which stall should win?", "Readers' vote"])]
    for _ in range(r.randint(4, 12)):
        lines += [_name(r), f"{r.randint(1, 99)}% ({r.randint(5, 900)} votes)"]
    return lines


def _facts(r: random.Random) -> list[str]:
    lines = [r.choice(["Key facts", "What we know", "At a glance"])]
    for _ in range(r.randint(3, 7)):
        lines.append(r.choice([f"Cost: £{r.randint(1, 90)} million", f"Start date: {_date(r)}",
                               f"Length: {r.randint(2, 40)} km", f"Jobs created: {r.randint(10, 900)}",
                               f"Towns affected: {r.choice(TOWNS)} and {r.choice(TOWNS)}",
                               f"Decision expected: {r.choice(['spring', 'autumn', 'next year'])}"]))
    return lines


def _interview(r: random.Random) -> list[str]:
    lines = []
    for question in r.sample(["What got you started?", "How long have you lived here?", "What would you change?",
                              "What do visitors miss?", "Where do you go on a day off?"], r.randint(2, 4)):
        lines += [question, _paragraph(r)]
    return lines


def _plan(r: random.Random) -> list[str]:
    """Sections with the same labels each time (a training plan, a meal plan, a weekly timetable)."""
    labels = r.sample(["Breakfast", "Lunch", "Dinner", "Warm-up", "Main set", "Cool-down", "Morning", "Evening",
                       "Snack", "Stretch"], r.randint(2, 4))
    notes = {label: r.choice(["Before 9 am", "Eat every 2 to 3 hours", "Ten minutes, easy pace", "Rest 60 seconds",
                              "Drink water first", "Within an hour of waking"]) for label in labels}
    lines = []
    for section in range(1, r.randint(3, 5)):
        lines.append(f"{r.choice(['Week', 'Day', 'Plan', 'Stage'])} {section}")
        for label in labels:
            lines += [label, notes[label]]
            if r.random() < 0.6:
                lines.append(", ".join(f"{r.randint(1, 4)} {r.choice(UNITS)} {f}" for f in r.sample(FOODS, 3)))
    return lines


def _panel(r: random.Random) -> list[str]:
    """The same questions put to several people."""
    questions = r.sample(["What would you change first?", "How did you vote last time?", "Who do you trust?"], 2)
    lines = []
    for _ in range(r.randint(2, 4)):
        lines.append(f"{_name(r)}, {r.randint(19, 80)}, {r.choice(TOWNS)}")
        for question in questions:
            lines += [question, _paragraph(r)]
    return lines


BLOCKS: list[Callable[[random.Random], list[str]]] = [
    _standings, _results, _recipe, _schedule, _prices, _poll, _facts, _interview, _plan, _panel,
]


# -- furniture -------------------------------------------------------------------------------------------


def _menu(r: random.Random) -> list[str]:
    items = r.sample(SECTIONS, r.randint(5, 14))
    extra = r.sample(["Skip to content", "Subscribe", "Sign in", "Search", "Menu", f"Home > {items[0]}"],
                     r.randint(1, 3))
    return extra + items


def _widget(r: random.Random) -> list[str]:
    """A sidebar box after the article: the same shapes as an article table, but furniture."""
    kind = r.randint(0, 2)
    if kind == 0:
        lines = ["Markets"]
        for ticker in r.sample(["FTSE 100", "DAX", "Nikkei", "Brent", "Gold", "EUR/USD", "Dow"], 5):
            lines += [ticker, f"{r.randint(100, 9000)}.{r.randint(10, 99)}", f"{r.choice('+-')}{r.random():.2f}%"]
        return lines
    if kind == 1:
        lines = ["Latest scores"]
        for _ in range(r.randint(3, 6)):
            home, away = r.sample(TOWNS, 2)
            lines += [f"{home} {r.choice(TEAMS)}", str(r.randint(0, 4)), away, str(r.randint(0, 4))]
        return lines
    return ["Weather", f"{r.choice(TOWNS)}", f"{r.randint(-3, 28)}°C", r.choice(["Cloudy", "Sunny", "Rain"]),
            "Tomorrow", f"{r.randint(-3, 28)}°C"]


def _ending(r: random.Random) -> list[str]:
    lines: list[str] = []
    parts = [
        lambda: r.sample(["Share", "Facebook", "X", "WhatsApp", "Email", "Copy link", "Print"], r.randint(2, 5)),
        lambda: [r.choice(["Related", "More from News", "Most read", "You may also like", "Popular"])]
        + [t.format(town=r.choice(TOWNS), team=r.choice(TEAMS)) for t in r.sample(RELATED, r.randint(3, 6))],
        lambda: [f"{r.randint(0, 300)} comments", "Join the discussion"],
        lambda: ["Sign up to our daily newsletter", "Enter your email", "Sign up"],
        lambda: _widget(r),
        lambda: [f"Tags: {r.choice(SECTIONS)}, {r.choice(TOWNS)}"],
    ]
    for part in r.sample(parts, r.randint(2, len(parts))):
        lines += part()
    lines += [*r.sample(FOOTER, r.randint(3, 8)), f"© 2025 The {r.choice(TOWNS)} Courier"]
    return lines


def _page(r: random.Random) -> list[Line]:
    global _PAGE
    _PAGE = _Claims(r)
    headline = r.choice(HEADLINES).format(town=r.choice(TOWNS), team=r.choice(TEAMS))
    lines: list[Line] = [(text, False) for text in _menu(r)]
    lines += [(headline, False), (f"By {_name(r)}", False), (_date(r), False)]
    lines += [(_paragraph(r), True) for _ in range(r.randint(1, 4))]
    for block in r.sample(BLOCKS, r.randint(1, 2)):
        lines += [(text, True) for text in block(r)]
        if r.random() < 0.5:
            lines.append((_paragraph(r), True))
    if r.random() < 0.5:
        lines += [(_paragraph(r), True) for _ in range(r.randint(1, 2))]
    lines += [(text, False) for text in _ending(r)]
    return lines


def _foreign_page(r: random.Random, code: str) -> list[Line]:
    """A page in language ``code`` (see :mod:`synthetic_languages`), built like the English ones."""
    v = LANGUAGES[code]
    joiner = "" if code in NO_SPACES else " "
    claims = r.sample(v["claims"], len(v["claims"]))

    def sentence() -> str:
        claim = claims.pop() if claims else r.choice(v["claims"])
        text = joiner.join([r.choice(v["subjects"]), r.choice(v["verbs"]), claim]) + r.choice(v["tails"])
        return text if text[-1] in ".。" else text + "."

    def paragraph() -> str:
        return joiner.join(sentence() for _ in range(r.randint(1, 3)))

    town = r.choice(TOWNS)
    lines: list[Line] = [(t, False) for t in r.sample(v["extra"], r.randint(1, 3))]
    lines += [(t, False) for t in r.sample(v["sections"], r.randint(5, len(v["sections"])))]
    lines += [(r.choice(v["headlines"]).format(town=town), False),
              (r.choice(v["by"]).format(name=_name(r)), False),
              (f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.2025 {r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
               False)]
    lines += [(paragraph(), True) for _ in range(r.randint(2, 5))]
    if r.random() < 0.4:
        lines += [(t, True) for t in r.choice([_results, _schedule, _poll])(r)]
    ending: list[str] = []
    parts = [
        lambda: r.sample(v["share"], r.randint(2, len(v["share"]))),
        lambda: [r.choice(v["related"]), *r.sample(v["titles"], r.randint(2, len(v["titles"])))],
        lambda: [v["comments"][0].format(n=r.randint(0, 300)), v["comments"][1]],
        lambda: list(v["newsletter"]),
    ]
    for part in r.sample(parts, r.randint(2, len(parts))):
        ending += part()
    ending += [*r.sample(v["footer"], r.randint(3, len(v["footer"]))), f"© 2025 {town}"]
    return lines + [(t, False) for t in ending]


def _indented(r: random.Random, lines: list[Line]) -> list[Line]:
    """The page as a layout-aware converter writes it: short lines as bullets, text indented."""
    out = []
    for text, content in lines:
        depth = " " * r.choice([2, 4, 6, 8])
        bullet = len(text.split()) <= 6 and r.random() < 0.7
        out.append((f"{depth}{r.choice(['*', '+', 'o'])} {text}" if bullet else f"{depth}{text}", content))
    return out


def pages(count: int = 80, per_language: int = 10, seed: int = 20251204) -> list[tuple[str, list[Line]]]:
    """``count`` English pages and ``per_language`` pages in each other language, as (name, lines
    with content flags); every third one in the indented layout."""
    r = random.Random(seed)
    out = []
    for number in range(count):
        lines = _page(r)
        if number % 3 == 2:
            lines = _indented(r, lines)
        out.append((f"synthetic-en-{number:03d}", lines))
    for code in sorted(LANGUAGES):
        for number in range(per_language):
            lines = _foreign_page(r, code)
            if number % 3 == 2:
                lines = _indented(r, lines)
            out.append((f"synthetic-{code}-{number:03d}", lines))
    return out


if __name__ == "__main__":
    for name, lines in pages(3):
        print(f"== {name}")
        for text, content in lines:
            print("C" if content else ".", text)
