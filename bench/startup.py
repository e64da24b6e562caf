#!/usr/bin/env python3
"""What starting the parley command costs, for one or more parley binaries
side by side (say, before and after a change): shared libraries linked (ldd),
the dynamic loader's relocations (LD_DEBUG=statistics), instructions of a
whole run with valgrind's callgrind (steady under load, the figure to
compare), the minor page faults of a run (the kernel's share of a short
process: mapping and copying what the loader relocates), and the median over
LOOPS loops of the per-run wall and CPU (user + system) milliseconds of RUNS
runs.  The binaries' loops are interleaved so
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
TMP = tempfile.mkdtemp(prefix="parley-startup-")
CSV = os.path.join(TMP, "ec-car-emissions.csv")
# a 4 x 4 bimatrix game (fixed payoffs), the size of the smallest game of
# bench/game/bench_game.py, solved by Lemke-Howson
GAME = os.path.join(TMP, "4x4.nfg")
GAME_TEXT = ('NFG 1 R "4x4" { "P1" "P2" } { 4 4 }\n'
             "3 5 1 8 9 2 4 4 7 1 0 6 2 2 8 3 5 5 1 9 6 0 3 7 2 8 4 1 9 3 0 5\n")
COMMANDS = [("/bin/true", []), ("--version", ["--version"]), ("engines", ["engines"]),
            ("forecast CASE.csv -e median", ["forecast", CSV, "-e", "median"]),
            ("forecast CASE.csv", ["forecast", CSV]),
            ("forecast -e median", ["forecast", CASE, "-e", "median"]),
            ("game solve 4x4 --solver lh", ["game", "solve", GAME, "--solver", "lh"])]


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


def faults(argv, runs=20):
    """Median minor page faults of a run of argv."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    got = []
    for _ in range(runs):
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
        got.append(os.wait4(pid, 0)[2].ru_minflt)
    os.close(devnull)
    return statistics.median(got)


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
    with open(GAME, "w") as f:
        f.write(GAME_TEXT)
    rows = [(b, n, args) for b in a.parley for n, args in COMMANDS
            if n != "/bin/true" or b == a.parley[0]]
    times = {r[:2]: [] for r in rows}
    for _ in range(a.loops):
        for b, n, args in rows:
            times[(b, n)].append(loop(argv_of(b, n, args), a.runs))
    print(f"median of {a.loops} loops of {a.runs} runs each\n")
    print("| binary | libraries | command | wall ms/run | CPU ms/run | CPU above /bin/true | "
          "instructions (callgrind) | page faults | relocations |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for b, n, args in rows:
        argv = argv_of(b, n, args)
        wall = statistics.median(t[0] for t in times[(b, n)])
        cpu = statistics.median(t[1] for t in times[(b, n)])
        libs = libraries(argv[0])
        over = cpu - statistics.median(t[1] for t in times[(a.parley[0], "/bin/true")])
        print(f"| {argv[0] if n == '/bin/true' else b} | {libs} | {n} | {wall:.1f} | "
              f"{cpu:.2f} | {over:.2f} | {instructions(argv):,} | {faults(argv):.0f} | "
              f"{relocations(argv)} |")


if __name__ == "__main__":
    main()
