"""Start-up time of the ``crm`` command, beside ``python -c pass`` and a bare ``flask --help``.

    python bench/cli_bench.py                    # 7 runs of each command in a fresh seeded instance
    python bench/cli_bench.py --runs 11 --instance /tmp/crm-bench   # reuse (or create) an instance folder

Each command runs in a new process (so every run is cold for Python) and is timed twice: CPU time
(user + sys of the child, which other work on a shared machine disturbs least) and wall time. Prints the
medians, each also as a ratio to ``python -c pass`` and to ``flask --help``, and the load average before
and after, so figures taken on a busy machine can be read as such. It only prints: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PEERS_TEXT = "a man drove a van into a crowd at a christmas market"


def run_once(argv: list[str], env: dict, cwd: str) -> tuple[float, float]:
    """Run ``argv`` once and return (cpu seconds, wall seconds) of the child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def prepare_instance(folder: str, env: dict) -> None:
    """Migrate and seed (reference data and the demo network) the instance in ``folder`` unless done."""
    if (Path(folder) / "crm.sqlite3").exists():
        return
    for argv in ([str(BIN / "crm"), "db", "upgrade"], [str(BIN / "crm"), "seed", "--demo"],
                 [str(BIN / "crm"), "search", "rebuild"]):
        subprocess.run(argv, env=env, cwd=folder, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (medians are printed)")
    parser.add_argument("--instance", help="instance folder to use (created and seeded if empty)")
    args = parser.parse_args()

    folder = args.instance or tempfile.mkdtemp(prefix="crm-cli-bench-")
    os.makedirs(folder, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if not args.instance:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, folder: str) -> None:
    """Time each command ``args.runs`` times against the instance in ``folder`` and print the medians."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CRM_", "FLASK_"))}
    env["CRM_INSTANCE_DIR"] = folder
    prepare_instance(folder, env)
    empty = os.path.join(folder, "empty")  # no app to find there for the bare `flask --help`
    os.makedirs(empty, exist_ok=True)
    bare_env = {key: value for key, value in env.items() if key != "CRM_INSTANCE_DIR"}

    commands = [
        ("python -c pass", [sys.executable, "-c", "pass"], bare_env, empty),
        ("flask --help (bare)", [str(BIN / "flask"), "--help"], bare_env, empty),
        ("crm --help", [str(BIN / "crm"), "--help"], env, folder),
        ("crm peers --help", [str(BIN / "crm"), "peers", "--help"], env, folder),
        ("crm db status", [str(BIN / "crm"), "db", "status"], env, folder),
        ("crm peers TEXT --json", [str(BIN / "crm"), "peers", PEERS_TEXT, "--json"], env, folder),
    ]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  "
          f"({os.cpu_count()} cores; instance {folder}; {args.runs} runs each)")
    results = {}
    for label, argv, cmd_env, cwd in commands:
        run_once(argv, cmd_env, cwd)  # warm the file cache; not counted
        samples = [run_once(argv, cmd_env, cwd) for _ in range(args.runs)]
        results[label] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))
    base_cpu, base_wall = results["python -c pass"]
    flask_cpu, flask_wall = results["flask --help (bare)"]
    print(f"{'command':<24}{'cpu s':>8}{'wall s':>8}   {'cpu/python':>10}{'cpu/flask':>10}"
          f"{'wall/python':>12}{'wall/flask':>11}")
    for label, (cpu, wall) in results.items():
        print(f"{label:<24}{cpu:8.3f}{wall:8.3f}   {cpu / base_cpu:10.1f}{cpu / flask_cpu:10.2f}"
              f"{wall / base_wall:12.1f}{wall / flask_wall:11.2f}")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
