#!/usr/bin/env python3
"""Benchmarks parley's smp engine against KTAB's smpc, side by side, on
KTAB's shipped SMP scenarios (../shared/peers/ktab), and checks that both
give the same turns and final positions.

usage: bench/smp_vs_ktab.py SMPC [--build DIR] [--runs N] [--ktab-dir DIR]
                                 [--only NAME ...] [--big-runs N]
                                 [--parley-runs N] [--callgrind SECONDS]

SMPC is the path of a smpc binary built outside parley (this script does not
build KTAB).  smpc runs as KTAB's reference script runs it (--logmin, SQLite
driver) with its logger disabled by a smpc-logger.conf in its working
directory: logging off as far as it allows.  parley runs as
`parley forecast FILE --engine smp -f json -t` from a release build (made in
--build, default build-bench as `make release` makes it, if absent).  Each side runs N times (default
3; --big-runs for scenarios of 100+ actors, default 1); the table gives the
medians of wall-clock and of CPU (user + system, all threads) seconds, and
the median CPU seconds of reading the case and running smp inside one
process (bench/smp_time, at least 5 runs): the engine's own cost, without
the start of a process, which alone takes parley a few milliseconds.
parley runs --parley-runs times (default 21: its runs are short, so more of
them steady the median).  With --callgrind SECONDS, both whole processes are
also run once under valgrind's callgrind (--trace-children=no: the dynamic
loader's work counted, the load of the machine not) on every scenario where
smpc's median CPU is below SECONDS, and the table gives both instruction
counts and their ratio; /bin/true's count and CPU, the floor of any process,
head the table.
"""
import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

LOGGER_CONF = """* GLOBAL:
    ENABLED = false
    TO_FILE = false
    TO_STANDARD_OUTPUT = false
"""


def timed(cmd, cwd=None):
    """Runs cmd; returns (wall, cpu, stdout)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, out.stdout


def instructions(cmd, cwd=None):
    """Instructions of the whole process cmd (callgrind's count)."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=no",
                          "--callgrind-out-file=/dev/null"] + cmd, cwd=cwd,
                         capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not m:
        sys.exit(f"callgrind failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return int(m.group(1))


def ktab_instructions(smpc, path):
    with tempfile.TemporaryDirectory() as w:
        with open(os.path.join(w, "smpc-logger.conf"), "w") as f:
            f.write(LOGGER_CONF)
        return instructions([smpc, "--logmin", "--csv", path, "--connstr",
                             "Driver=QSQLITE;Database=k"], cwd=w)


def run_ktab(smpc, path, runs):
    walls, cpus, final, turns = [], [], None, None
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as w:
            with open(os.path.join(w, "smpc-logger.conf"), "w") as f:
                f.write(LOGGER_CONF)
            wall, cpu, _ = timed([smpc, "--logmin", "--csv", path, "--connstr",
                                  "Driver=QSQLITE;Database=k"], cwd=w)
            walls.append(wall)
            cpus.append(cpu)
            db = sqlite3.connect(os.path.join(w, "k.db"))
            turns = db.execute("SELECT max(Turn_t) FROM VectorPosition").fetchone()[0]
            final = {(a, k): v for a, k, v in db.execute(
                "SELECT Act_i, Dim_k, Pos_Coord FROM VectorPosition WHERE Turn_t = ?",
                (turns,))}
            db.close()
    return statistics.median(walls), statistics.median(cpus), turns, final


def run_parley(parley, path, runs):
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu, out = timed([parley, "forecast", path, "--engine", "smp", "-f", "json",
                                "-t"])
        walls.append(wall)
        cpus.append(cpu)
    oc = json.loads(out)["results"][0]["outcomes"]
    turns = oc[0]["rounds"]
    final = {(a, k): oc[k]["trajectory"][-1]["positions"][a]
             for k in range(len(oc)) for a in range(len(oc[0]["actors"]))}
    return statistics.median(walls), statistics.median(cpus), turns, final, len(oc[0]["actors"]), len(oc)


def ensure_build(build):
    if not os.path.exists(os.path.join(build, "build.ninja")):
        subprocess.run(["meson", "setup", build, "--buildtype=release"], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", build, "cli/parley", "bench/smp_time"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build, "cli", "parley"), os.path.join(build, "bench", "smp_time")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("smpc")
    ap.add_argument("--build", default="build-bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big-runs", type=int, default=1)
    ap.add_argument("--ktab-dir", default="../shared/peers/ktab")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--parley-runs", type=int, default=21)
    ap.add_argument("--callgrind", type=float, default=0)
    a = ap.parse_args()
    if not os.access(a.smpc, os.X_OK):
        sys.exit(f"{a.smpc}: not an executable smpc")
    if not os.path.isdir(a.ktab_dir):
        sys.exit(f"{a.ktab_dir}: KTAB's scenarios are absent")
    parley, smp_time = ensure_build(a.build)
    names = sorted(f for f in os.listdir(a.ktab_dir) if f.endswith(".csv"))
    if a.only:
        names = [n for n in names if any(o in n for o in a.only)]
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": \t")
    print(f"machine: {os.cpu_count()} cores, {cpu}; load average at start "
          f"{os.getloadavg()[0]:.1f}")
    print(f"command: bench/smp_vs_ktab.py {a.smpc} --build {a.build} --runs {a.runs} "
          f"--big-runs {a.big_runs} --parley-runs {a.parley_runs}"
          + (f" --callgrind {a.callgrind:g}" if a.callgrind else "") + "\n")
    tc = statistics.median(timed(["/bin/true"])[1] for _ in range(51))
    print(f"/bin/true: CPU {tc * 1000:.2f} ms"
          + (f", {instructions(['/bin/true']):,} instructions" if a.callgrind else "") + "\n")
    print("| scenario | actors x dims | turns KTAB / parley | max abs diff final | "
          "smpc wall s | parley wall s | wall ratio | smpc CPU s | parley CPU s | CPU ratio | "
          "in-process CPU s | in-process CPU ratio | smpc instructions | "
          "parley instructions | instruction ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for n in names:
        path = os.path.abspath(os.path.join(a.ktab_dir, n))
        pw, pc, pt, pf, na, nd = run_parley(parley, path, a.parley_runs)
        runs = a.big_runs if na >= 100 else a.runs
        kw, kc, kt, kf = run_ktab(a.smpc, path, runs)
        iw, ic, it = subprocess.run([smp_time, path, str(max(5, a.runs))], capture_output=True,
                                    text=True, check=True).stdout.split()
        ic = float(ic)
        diff = max(abs(kf[key] - pf[key]) for key in kf)
        same = kt == pt and diff <= 0.01
        ok &= same
        if a.callgrind and kc < a.callgrind:
            ki = ktab_instructions(a.smpc, path)
            pi = instructions([parley, "forecast", path, "--engine", "smp", "-f", "json", "-t"])
            ins = f"{ki:,} | {pi:,} | {ki / pi:.0f}x"
        else:
            ins = "- | - | -"
        print(f"| {n} | {na} x {nd} | {kt} / {pt} | {diff:.2g} | {kw:.3f} | {pw:.4f} | "
              f"{kw / pw:.0f}x | {kc:.3f} | {pc:.4f} | {kc / max(pc, 1e-4):.0f}x | "
              f"{ic:.5f} | {kc / max(ic, 1e-6):.0f}x | {ins} |",
              flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
