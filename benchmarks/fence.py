"""The cost of the grading fence per submission: `python benchmarks/fence.py`.

Times `WarmWorker.run` on a job that does nearly nothing (`answer = 1`), so the
figure is the fence itself: forking the supervisor, the namespaces, the new root
of read-only binds, the cgroup budget, the runner's lock-down and the frames back.
Then the same for one realistic exam paper (model answers: pandas and SciPy at
work), where the fence is a small part of the time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from smm_playbook.grading import secret
from smm_playbook.grading.exam import CERTIFICATION, paper_for
from smm_playbook.grading.model_answers import answer_code, solve
from smm_playbook.grading.paper import notebook
from smm_playbook.grading.sandbox import Job, Limits, WarmWorker


def timed(worker: WarmWorker, job: Job, runs: int) -> list[float]:
    worker.run(job)  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = worker.run(job)
        samples.append(time.perf_counter() - start)
        assert result.ended == "finished", result.detail
    return samples


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"| {name} | {len(ordered)} | {median * 1000:.1f} | {p95 * 1000:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    key = secret.derive(b"benchmark", "fence")
    paper = paper_for(CERTIFICATION, key, "bench.learner", 1, "Bench Learner")
    book = solve(notebook(paper), answer_code(paper))
    cells = tuple(c.source for c in book.cells if c.cell_type == "code")
    worker = WarmWorker()
    try:
        trivial = Job(("answer = 1",), ("answer",), (), Limits())
        empty = timed(worker, trivial, args.runs)
        full = timed(worker, Job(cells, paper.answer_names, (), Limits()), args.runs)
        probe = worker.run(trivial)
    finally:
        worker.close()
    print("| job | runs | median ms | p95 ms |")
    print("|---|---|---|---|")
    print(summary("empty job (the fence alone)", empty))
    print(summary("one exam paper, model answers", full))
    print(f"budgets: {getattr(probe, 'budgets', '(none reported)')}")


if __name__ == "__main__":
    main()
