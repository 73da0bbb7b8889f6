"""Start-up times of the command line: `python benchmarks/startup.py`.

Each command runs in a fresh process several times; the table gives the median
wall time and its ratio to `python -c pass` on the same machine, so the figure
means the same on a fast or a slow computer.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import smm_playbook.data": [sys.executable, "-c", "import smm_playbook.data"],
    "smm-playbook --help": [str(BIN / "smm-playbook"), "--help"],
    "smm-playbook exam --help": [str(BIN / "smm-playbook"), "exam", "--help"],
    "smm-playbook progress": [str(BIN / "smm-playbook"), "progress"],
}


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as home:  # an empty progress file
        env = {**os.environ, "HOME": home, "XDG_DATA_HOME": home}
        base = median_seconds(COMMANDS["python -c pass"], runs, env)
        print("| command | median s | × python -c pass |")
        print("|---|---|---|")
        for name, command in COMMANDS.items():
            seconds = median_seconds(command, runs, env)
            print(f"| {name} | {seconds:.3f} | {seconds / base:.1f} |")


if __name__ == "__main__":
    main()
