"""Accuracy can only go up: the bundled gold's headline figures stay above these floors.

The floors sit just under what the code achieves (see the README's score table);
raise them when the pipeline improves.
"""

from __future__ import annotations

from nlp_pipeline.evaluate import evaluate, load_gold_dir

from .conftest import GOLD, HELDOUT, gold_set, needs_shared

FLOORS = {
    "quantity": 0.99,
    "record": 0.91,
    "event_untyped": 0.93,
    "event": 0.82,
}
ATTRIBUTE_FLOORS = {"qualifier": 0.99, "role": 0.96, "unit": 0.99, "level": 0.94}
# The older State Council excerpts, blind set 3's two reviews, the 2015 and 2023 reviews
# and the 2023 five-year review (development data).
HELDOUT_FLOORS = {"quantity": 0.98, "record": 0.90, "event_untyped": 0.86}
# The whole development set (with the three PDFs of ../shared/) and blind set 4: the blind
# floors sit under its figures only so that nothing falls unnoticed; they are not targets.
DEVELOPMENT_FLOORS = {"quantity": 0.99, "record": 0.95, "event_untyped": 0.96, "rate": 0.99}
# (Run 55 lost one blind figure, quantity 0.927 -> 0.918, while records and events rose:
# the floor follows the logged figure, see gold-heldout/BLIND_RUN.md.)
# (Run 65 raised record and event untyped to 0.672 and 0.607: the floors follow.)
BLIND_FLOORS = {"quantity": 0.91, "record": 0.66, "event_untyped": 0.60, "rate": 0.66}


def test_headline_figures_stay_above_their_floors(corpus_records) -> None:
    bundled = {k: v for k, v in load_gold_dir(GOLD).items() if k in corpus_records}
    result = evaluate(bundled, corpus_records)
    for name, floor in FLOORS.items():
        assert getattr(result, name).f1 >= floor, name
    for name, floor in ATTRIBUTE_FLOORS.items():
        assert result.attributes[name].accuracy >= floor, name


@needs_shared
def test_heldout_figures_stay_above_their_floors() -> None:
    result = evaluate(*gold_set(HELDOUT))
    for name, floor in HELDOUT_FLOORS.items():
        assert getattr(result, name).f1 >= floor, name


@needs_shared
def test_development_and_blind_figures_stay_above_their_floors() -> None:
    development = evaluate(*gold_set(GOLD))
    for name, floor in DEVELOPMENT_FLOORS.items():
        assert getattr(development, name).f1 >= floor, name
    assert development.attributes["role"].accuracy >= 0.98
    assert development.record_per_kind["money"].f1 >= 0.98
    blind = evaluate(*gold_set(HELDOUT / "blind"))
    # Only whether a floor holds is shown, never the blind figure itself: a failing run
    # must not show the developer a blind score before its batch is logged.
    fallen = [name for name, floor in BLIND_FLOORS.items() if getattr(blind, name).f1 < floor]
    assert not fallen, f"blind figures under their floors: {', '.join(fallen)}"
