"""Haversine distances: known values, symmetry, and the vectorised form against the scalar one."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.geo import EARTH_RADIUS_KM, haversine_km, haversine_km_many

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)


def test_same_point_is_zero() -> None:
    assert haversine_km(*UTRECHT, *UTRECHT) == 0.0


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.01)


def test_utrecht_amersfoort_is_about_20_km() -> None:
    assert 19.0 < haversine_km(*UTRECHT, *AMERSFOORT) < 20.5


def test_symmetric() -> None:
    assert haversine_km(*UTRECHT, *AMERSFOORT) == pytest.approx(haversine_km(*AMERSFOORT, *UTRECHT))


def test_antipodes_are_half_the_circumference() -> None:
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_vectorised_matches_scalar() -> None:
    rng = np.random.default_rng(3)
    lats, lons = rng.uniform(51.9, 52.3, 50), rng.uniform(4.7, 5.6, 50)
    many = haversine_km_many(*UTRECHT, lats, lons)
    expected = [haversine_km(*UTRECHT, float(a), float(b)) for a, b in zip(lats, lons, strict=True)]
    assert many.shape == (50,)
    np.testing.assert_allclose(many, expected, rtol=1e-12)


def test_vectorised_accepts_empty_input() -> None:
    assert haversine_km_many(*UTRECHT, [], []).shape == (0,)
