"""The anonymous peer benchmark's pure logic: size bands, percentiles, when it is shown."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core import benchmark
from assess.core.benchmark import MIN_PEERS, Peer, percentile, size_band

scores = st.floats(min_value=0, max_value=5, allow_nan=False)


@pytest.mark.parametrize(
    ("employees", "band"),
    [
        (1, "micro"),
        (9, "micro"),
        (10, "small"),
        (49, "small"),
        (50, "medium"),
        (249, "medium"),
        (250, "large"),
        (5000, "large"),
        (0, None),
        (None, None),
        (True, None),
        ("12", None),
    ],
)
def test_does_each_headcount_fall_in_the_eu_size_class(employees, band):
    assert size_band(employees) == band


def test_is_a_percentile_the_share_below_with_ties_counted_half():
    assert percentile(3.0, [1, 2, 4, 5]) == 50.0
    assert percentile(5.0, [1, 2, 3, 4]) == 100.0
    assert percentile(0.0, [1, 2, 3, 4]) == 0.0
    assert percentile(2.0, [1, 2, 3, 4]) == 37.5
    with pytest.raises(ValueError, match="no peers"):
        percentile(1.0, [])


@given(scores, st.lists(scores, min_size=1, max_size=30))
def test_does_a_percentile_stay_within_0_and_100(value, others):
    assert 0.0 <= percentile(value, others) <= 100.0


@given(scores, scores, st.lists(scores, min_size=1, max_size=30))
def test_does_a_higher_score_never_rank_lower(a, b, others):
    low, high = sorted((a, b))
    assert percentile(low, others) <= percentile(high, others)


@given(scores, st.lists(scores, min_size=1, max_size=30))
def test_does_the_order_of_peers_not_matter(value, others):
    assert percentile(value, others) == percentile(value, list(reversed(others)))


def _peers(values, industry="retail"):
    return [Peer(v, {"a": v}, industry) for v in values]


AREAS = [{"id": "a", "title": "Area A", "score": 2.0}]


def test_are_fewer_than_five_peers_not_shown_with_the_reason():
    document = benchmark.benchmark(2.0, AREAS, _peers([1, 2, 3, 4]), band="small")
    assert document["available"] is False
    assert document["reason"] == benchmark.TOO_FEW_PEERS
    assert "Fewer than 5" in document["message"] and "10 to 49 people" in document["message"]


def test_are_five_peers_enough_and_is_each_area_ranked():
    document = benchmark.benchmark(3.0, AREAS, _peers([1, 2, 3, 4, 5]), band="small")
    assert document["available"] is True
    assert document["scope"] == "size_band"
    assert document["peers"] == MIN_PEERS
    assert document["overall"] == {"percentile": 50.0, "compared": 5}
    assert document["areas"] == [{"id": "a", "title": "Area A", "percentile": 30.0, "compared": 5}]


def test_does_the_industry_narrow_the_peers_only_when_five_share_it():
    peers = _peers([1, 1, 1, 1, 1], "finance") + _peers([4, 4, 4, 4], "retail")
    few = benchmark.benchmark(2.0, AREAS, peers, band="small", industry="retail")
    assert few["scope"] == "size_band" and few["peers"] == 9 and few["industry"] is None
    many = benchmark.benchmark(2.0, AREAS, peers, band="small", industry="finance")
    assert many["scope"] == "size_band_and_industry" and many["peers"] == 5
    assert many["industry"] == "finance" and many["overall"]["percentile"] == 100.0


def test_does_the_document_hold_no_peer_score():
    peers = _peers([1.111, 1.222, 1.333, 4.444, 4.555])
    text = json.dumps(benchmark.benchmark(2.0, AREAS, peers, band="small"))
    for value in ("1.111", "1.222", "1.333", "4.444", "4.555"):
        assert value not in text


def test_is_an_area_without_enough_scored_peers_left_without_a_percentile():
    peers = [Peer(v, {"a": None}) for v in (1, 2, 3, 4, 5)]
    document = benchmark.benchmark(2.0, AREAS, peers, band="small")
    assert document["areas"][0]["percentile"] is None
    assert document["areas"][0]["compared"] == 0
