"""What fitting the course's media mix data with PyMC-Marketing would cost.

Module 6 fits its synthetic two years of weekly sales with a transparent SciPy
least-squares fit (`smm_playbook.sim.mmm`). This benchmark measures the
alternative practitioners use, PyMC-Marketing, with short sampling, so that the
choice rests on a number: import time, model build, sampling, and how close the
posterior means of the channels' contributions come to the known truth.

PyMC-Marketing is not a course dependency (it brings PyTensor, a C compiler
step and ~1 GB). Give the Python of an environment that has it:

    python -m venv /tmp/pymc && /tmp/pymc/bin/pip install pymc-marketing
    .venv/bin/python benchmarks/mmm_pymc.py --pymc-python /tmp/pymc/bin/python
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from smm_playbook.sim.mmm import (
    CHANNELS,
    TRUE_PARAMS,
    _response,
    fit_mmm,
    simulate_weeks,
)

FIT = r"""
import json, sys, time
started = time.perf_counter()
import pandas as pd
from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation
imported = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
channels = json.loads(sys.argv[2])
frame["date"] = pd.date_range("2024-01-01", periods=len(frame), freq="W-MON")
mmm = MMM(date_column="date", channel_columns=channels,
          adstock=GeometricAdstock(l_max=8), saturation=LogisticSaturation())
X, y = frame[["date", *channels]], frame["sales"]
mmm.build_model(X, y)
built = time.perf_counter()
mmm.fit(X, y, chains=2, cores=2, draws=int(sys.argv[3]), tune=int(sys.argv[3]),
        random_seed=1, progressbar=False)
sampled = time.perf_counter()
contributions = mmm.compute_channel_contribution_original_scale()
contributions = contributions.mean(("chain", "draw"))
totals = {c: float(contributions.sel(channel=c).sum()) for c in channels}
print(json.dumps({"import_s": imported - started, "build_s": built - imported,
                  "sample_s": sampled - built, "contributions": totals}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pymc-python", required=True, help="A Python with pymc-marketing."
    )
    parser.add_argument(
        "--draws", type=int, default=300, help="Draws (and tuning steps)."
    )
    args = parser.parse_args()
    frame = simulate_weeks()
    truth = {
        c: float(_response(frame[c].to_numpy(), **TRUE_PARAMS[c]).sum())
        for c in CHANNELS
    }
    started = time.perf_counter()
    scipy_fit = fit_mmm(frame)
    scipy_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weeks.csv"
        frame.to_csv(path, index=False)
        started = time.perf_counter()
        run = subprocess.run(
            [
                args.pymc_python,
                "-c",
                FIT,
                str(path),
                json.dumps(list(CHANNELS)),
                str(args.draws),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"SciPy least squares: {scipy_seconds:.3f} s, R² {scipy_fit.r_squared:.3f}")
    print(
        f"PyMC-Marketing ({args.draws} draws + {args.draws} tuning, 2 chains): "
        f"{wall:.1f} s in all; import {result['import_s']:.1f} s, build "
        f"{result['build_s']:.1f} s, sampling {result['sample_s']:.1f} s"
    )
    for channel in CHANNELS:
        got = result["contributions"][channel]
        fitted = {
            k: scipy_fit.params[f"{channel} {k}"] for k in ("beta", "decay", "ec")
        }
        ours = float(_response(frame[channel].to_numpy(), **fitted).sum())
        print(
            f"  {channel}: contribution over two years, truth {truth[channel]:,.0f}; "
            f"PyMC-Marketing {got:,.0f} ({100 * (got / truth[channel] - 1):+.1f}%); "
            f"SciPy {ours:,.0f} ({100 * (ours / truth[channel] - 1):+.1f}%)"
        )


if __name__ == "__main__":
    main()
