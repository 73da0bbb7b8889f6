"""Module 6 media mix model: a least-squares fit recovers the known parameters."""

from __future__ import annotations

import pytest

from smm_playbook.sim.mmm import fit_mmm, simulate_weeks, truth_table


def test_the_fit_recovers_the_true_parameters_from_two_years_of_weeks():
    table = truth_table(fit_mmm(simulate_weeks(seed=0)))
    assert table.loc["baseline", "fitted"] == pytest.approx(500, rel=0.15)
    assert table.loc["Paid social decay", "fitted"] == pytest.approx(0.5, abs=0.15)
    for name in ("Paid social beta", "Search beta"):
        assert table.loc[name, "fitted"] == pytest.approx(
            table.loc[name, "true"], rel=0.4
        )


def test_noise_makes_the_fit_worse_not_better():
    clean = fit_mmm(simulate_weeks(noise=5.0, seed=1))
    noisy = fit_mmm(simulate_weeks(noise=120.0, seed=1))
    assert clean.r_squared > noisy.r_squared


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="columns"):
        fit_mmm(simulate_weeks().drop(columns="Search"))
    with pytest.raises(ValueError, match="weeks"):
        simulate_weeks(weeks=5)
