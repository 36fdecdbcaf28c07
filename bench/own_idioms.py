"""What a site's own decisions do to violent words used figuratively ("This bill will kill jobs."),
which the shipped model holds: the shipped model beside one retrained, as `moderation train --site`
trains it, on the licence-cleared shared files plus 80 decisions of a news site's moderators (60
figurative comments approved, 20 threats rejected for "Threat"). The sentences scored afterwards
are not among those decisions. Takes about three minutes (one training run).

    .venv/bin/python bench/own_idioms.py
"""
from __future__ import annotations

import csv
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from classifier import DATA, default_files, load_rows  # noqa: E402

from classifiers import DEFAULT_MODEL_PATH, load_model  # noqa: E402
from classifiers.attributes import ATTRIBUTES  # noqa: E402
from classifiers.sources import trainable_files  # noqa: E402
from classifiers.train import train_model  # noqa: E402

APPROVED = [
    "The new parking charges will kill the town centre.", "These tariffs are going to kill our export business.",
    "Higher interest rates will kill the housing market.", "This zoning change would kill the farmers market.",
    "The council's plan will kill off the night bus.", "Budget cuts are killing the local library.",
    "The ban would kill tourism on the island.", "That merger will kill any competition left in the region.",
    "Raising the fees will kill student enrolment.", "Red tape is killing small builders.",
    "The strike is killing trade on the high street.", "A sales tax like that kills consumer spending.",
    "This policy will kill investment in rural broadband.", "The ruling could kill the pipeline project.",
    "Cutting the subsidy would kill solar installs.", "The senate is trying to kill the amendment in committee.",
    "They want to kill the proposal before it reaches a vote.",
    "Let's kill this idea once and for all and fund the schools.", "Lawmakers moved to kill the transit funding.",
    "The mayor killed the stadium deal last night.", "Kill the toll, fix the roads.",
    "The drought is killing crops across the county.", "This heatwave is killing my tomatoes.",
    "The frost killed half the orchard.", "Salt on the roads kills the roadside trees.",
    "The late goal killed the game off.", "That missed penalty killed our chances.",
    "Their defence was killing us all season.", "Our striker murdered that shot into the top corner.",
    "The band absolutely killed it at the festival.", "She killed it in the debate last night.",
    "My phone died halfway through the match.", "The battery dies after an hour.",
    "The proposal is dead in the water.", "The bypass plan died in committee.",
    "That film bombed at the box office.", "United were slaughtered 5-0 on Saturday.",
    "The Tigers destroyed the Hawks in the final.", "The reviewers shot down every argument in the report.",
    "The committee shot down the housing plan.", "This traffic is killing me on the way to work.",
    "The commute is murder on Mondays.", "Inflation is killing family budgets.",
    "Online shopping is killing the high street shops.", "Streaming killed the video rental store.",
    "Remote work could kill the city centre lunch trade.", "The new rules will kill the food trucks downtown.",
    "That pothole nearly killed my tyre.", "The price rise will kill demand for electric cars.",
    "Overdevelopment is killing the character of the village.", "The regulator wants to kill the deal.",
    "The veto killed the reform bill.", "Delays are killing the rail project's budget.",
    "The pay freeze is killing morale at the hospital.", "Noise from the quarry is killing the peace and quiet.",
    "High rents kill independent cafes.", "The storm killed the power across the valley.",
    "Bad weather killed the harvest festival this year.", "The scandal killed his chances of re-election.",
    "Their late surge killed the other campaign's lead.",
]
REJECTED_THREATS = [
    "I will kill you if I ever see you.", "I'm going to find you and hurt you.", "You deserve to be shot.",
    "Someone should shoot the mayor.", "I hope you die in a fire.", "I know where you live and I'm coming for you.",
    "Kill every last one of them.", "I'm going to stab you next time.", "Watch your back, I'll get you.",
    "You're going to get hurt, I promise.", "We will hang the traitors from the bridge.",
    "I'll beat you until you can't walk.", "People like you should be put down.", "I'm going to burn your house down.",
    "Your family won't be safe.", "I will slit your throat.", "Die, you scum.", "I'm coming to your office with a gun.",
    "Someone needs to kill that councillor.", "I will make you suffer.",
]
# Scored afterwards; none is among the decisions above.
FIGURATIVE = [
    "This bill will kill jobs.", "The new tax will kill small businesses.", "We need to kill this proposal before the vote.",
    "Kill the bill!", "this heat is going to kill my plants", "The tariffs are killing farmers.",
    "Rising rents will kill the high street.", "This merger would kill competition.",
    "The council wants to kill the bus route.", "That penalty killed our chances.",
    "He was sentenced to life for murdering his wife.", "Smoking kills.",
]
THREATS = [
    "I will kill you.", "You should die.", "I'm going to shoot you tomorrow", "I will find you and hurt you",
    "Kill them all.", "I know where you live and I'll kill you", "I'm going to kill your whole family",
    "Someone should shoot that reporter.",
]
VIOLENT = re.compile(r"\b(kill|kills|killing|killed|murder\w*|shoot\w*|shot|destroy\w*|die|dies|dead|death)\b", re.I)
SITE = "site:bench-news"


def own_labels_csv(directory: Path) -> Path:
    path = directory / "own.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", *ATTRIBUTES, "source"])
        blank = {a: "" for a in ATTRIBUTES}
        for text in APPROVED:
            writer.writerow([text, *{**blank, "toxicity": 0}.values(), SITE])
        for text in REJECTED_THREATS:
            writer.writerow([text, *{**blank, "toxicity": 1, "threat": 1}.values(), SITE])
    return path


def held(model, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    thresholds = np.array([model.thresholds[a] for a in model.attributes])
    scores = model.predict_matrix(texts)
    return scores, (scores >= thresholds).any(axis=1)


def shared_effect(model) -> tuple[int, int, int, int]:
    """Over the shared files' held-out and never-trained-on comments (but the synthetic set and
    civil_spans, which has no civil ones): civil comments with a violent word held, of them; all
    civil comments held, and toxic ones."""
    trained_on = {f["sha256"] for f in model.card.get("data", {}).get("files", []) if f.get("rows", 1) > 0}
    counts = np.zeros(5, dtype=int)
    for path in default_files():
        if path.name in ("bias_madlibs.csv", "civil_spans.csv"):
            continue
        data, _ = load_rows(path, trained_on)
        _, flagged = held(model, list(data.texts))
        toxic = data.labels[:, 0] >= 0.5
        violent = np.array([bool(VIOLENT.search(t)) for t in data.texts])
        counts += [(flagged & ~toxic & violent).sum(), (~toxic & violent).sum(), (flagged & ~toxic).sum(),
                   (~toxic).sum(), (flagged & toxic).sum()]
    return tuple(int(c) for c in counts)  # type: ignore[return-value]


def main() -> int:
    shipped = load_model(DEFAULT_MODEL_PATH)
    with tempfile.TemporaryDirectory() as tmp:
        files = [*trainable_files(DATA), own_labels_csv(Path(tmp))]
        path = train_model(files, out_dir=tmp, name="own-idioms", progress=False)
        retrained = load_model(path)
        print(f"shipped {shipped.version} beside it retrained with {len(APPROVED)} approvals and "
              f"{len(REJECTED_THREATS)} rejected threats of one site (weight {2.0} each, as OWN_LABEL_WEIGHT)")
        print(f"{'comment':52} {'shipped tox/threat':>20} {'retrained tox/threat':>22}")
        totals = {}
        for kind, texts in (("figurative", FIGURATIVE), ("threat", THREATS)):
            (a, held_a), (b, held_b) = held(shipped, texts), held(retrained, texts)
            tox, threat = shipped.attributes.index("toxicity"), shipped.attributes.index("threat")
            for text, ra, ha, rb, hb in zip(texts, a, held_a, b, held_b):
                print(f"{text[:52]:52} {ra[tox]:6.2f} {ra[threat]:5.2f} {'held' if ha else '':>6} "
                      f"{rb[tox]:6.2f} {rb[threat]:5.2f} {'held' if hb else '':>6}")
            totals[kind] = (int(held_a.sum()), int(held_b.sum()), len(texts))
        for kind, (a, b, n) in totals.items():
            print(f"{kind} comments held: {a} -> {b} of {n}")
        before, after = shared_effect(shipped), shared_effect(retrained)
        print(f"shared held-out comments, civil with a violent word held: {before[0]} -> {after[0]} of {before[1]}; "
              f"all civil held: {before[2]} -> {after[2]} of {before[3]}; toxic held: {before[4]} -> {after[4]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
