#!/usr/bin/env python3
"""What starting the parley command costs, for one or more parley binaries
side by side (say, before and after a change): shared libraries linked (ldd),
the dynamic loader's relocations (LD_DEBUG=statistics), instructions of a
whole run with valgrind's callgrind (steady under load, the figure to
compare), and the median over LOOPS loops of the per-run wall and CPU (user +
system) milliseconds of RUNS runs.  The binaries' loops are interleaved so
that a change in the machine's load hits them alike.  /bin/true is the floor.
The CPU column less /bin/true's is what a command costs above an empty
process (issue 11's budget: 2 ms for --version and a forecast of a CSV case).
Run from the source root.

usage: bench/startup.py PARLEY [PARLEY ...] [--runs N] [--loops L]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

CASE = "data/cases/korea-six-party.json"
# the CSV form of a shipped case (written by `parley convert` into a temporary
# directory at the start of the run): a plain forecast reads it
CSV = os.path.join(tempfile.mkdtemp(prefix="parley-startup-"), "ec-car-emissions.csv")
COMMANDS = [("/bin/true", []), ("--version", ["--version"]), ("engines", ["engines"]),
            ("forecast CASE.csv -e median", ["forecast", CSV, "-e", "median"]),
            ("forecast CASE.csv", ["forecast", CSV]),
            ("forecast -e median", ["forecast", CASE, "-e", "median"])]


def argv_of(binary, name, args):
    return ["/bin/true"] if name == "/bin/true" else [binary] + args


def loop(argv, runs):
    """Per-run wall and CPU milliseconds of runs runs of argv."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    r0 = os.times()
    t0 = time.perf_counter()
    for _ in range(runs):
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
        os.waitpid(pid, 0)
    wall = time.perf_counter() - t0
    r1 = os.times()
    os.close(devnull)
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    return 1000 * wall / runs, 1000 * cpu / runs


def instructions(argv):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] +
                         argv, capture_output=True, text=True).stderr
    m = re.search(r"Collected : (\d+)", out)
    return int(m.group(1)) if m else None


def relocations(argv):
    env = dict(os.environ, LD_DEBUG="statistics")
    out = subprocess.run(argv, capture_output=True, text=True, env=env).stderr
    m = re.search(r"number of relocations: (\d+)", out)
    return int(m.group(1)) if m else None


def libraries(binary):
    return len(subprocess.run(["ldd", binary], capture_output=True,
                              text=True).stdout.splitlines())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parley", nargs="+")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--loops", type=int, default=5)
    a = ap.parse_args()
    subprocess.run([a.parley[0], "convert", "data/cases/ec-car-emissions.json", CSV],
                   check=True, capture_output=True)
    rows = [(b, n, args) for b in a.parley for n, args in COMMANDS
            if n != "/bin/true" or b == a.parley[0]]
    times = {r[:2]: [] for r in rows}
    for _ in range(a.loops):
        for b, n, args in rows:
            times[(b, n)].append(loop(argv_of(b, n, args), a.runs))
    print(f"median of {a.loops} loops of {a.runs} runs each\n")
    print("| binary | libraries | command | wall ms/run | CPU ms/run | CPU above /bin/true | "
          "instructions (callgrind) | relocations |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for b, n, args in rows:
        argv = argv_of(b, n, args)
        wall = statistics.median(t[0] for t in times[(b, n)])
        cpu = statistics.median(t[1] for t in times[(b, n)])
        libs = libraries(argv[0])
        over = cpu - statistics.median(t[1] for t in times[(a.parley[0], "/bin/true")])
        print(f"| {argv[0] if n == '/bin/true' else b} | {libs} | {n} | {wall:.1f} | "
              f"{cpu:.1f} | {over:.1f} | {instructions(argv):,} | {relocations(argv)} |")


if __name__ == "__main__":
    main()
