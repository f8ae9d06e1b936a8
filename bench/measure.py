"""Timing helpers shared by the benchmark's parts: child processes with their peak memory, and
percentiles of repeated measurements."""

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def timed_child(args: list[str], env: dict) -> dict:
    """Seconds, peak RSS and output of one child process.

    The peak comes from GNU time, which starts the child from its own small process: a child
    forked from this one (which holds the generated archive) would count this one's pages too.
    """
    out_path = ROOT / "var" / "bench" / "child.out"
    err_path = ROOT / "var" / "bench" / "child.err"
    rss_path = ROOT / "var" / "bench" / "child.rss"
    command = [sys.executable, *args]
    if GNU_TIME:
        command = [GNU_TIME, "-f", "%M", "-o", str(rss_path), *command]
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        _pid, status, usage = os.wait4(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err).pid, 0
        )
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err_path.read_text()[-3000:]}")
    peak_kb = int(rss_path.read_text().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_kb / 1024),
        "out": out_path.read_text(),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary_ms(seconds: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
    }
