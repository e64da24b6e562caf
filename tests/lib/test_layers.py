#!/usr/bin/env python3
"""test_layers.py - the library's layers, as docs/api.md ("Layers") states them.

Every folder under src/ is a module (core, io, engines, analysis, ...).  A
header of a module is private to it, except:

- the shared utility layer (SHARED below), which any module may include;
- a module's designated internal interfaces (INTERFACES below), each open to
  the modules named with it and to no other.

A file of module X that includes a private header of module Y (or an
interface of Y that is not open to X) fails this test, as does a quoted
include that resolves nowhere (a new include path would hide a crossing).
cli/ includes no header of src/ at all: it sees the library through
include/parley/ only.  No source file of src/ or cli/ is over MAX_LINES
lines (issue 11: a file a newcomer can read; split by role instead).

usage: test_layers.py [SOURCE_ROOT]   (default: PARLEY_SOURCE_ROOT or .)
"""
import os
import re
import sys

MAX_LINES = 800

# The shared utility layer: small helpers with no knowledge of any module's
# objects (docs/api.md, "Layers").
SHARED = {
    "core/util.h",      # whole-file reader, atomic write, string buffer, error location, dates
    "core/numfmt.h",    # number formatting every writer uses
    "core/rng.h",       # the seeded random number generator
    "core/detmath.h",   # deterministic exp/log/pow (same bytes on any machine)
    "core/json_check.h",  # JSON shape checks shared by the readers
    "core/arena.h",     # the arena allocator
    "core/sha256.h",    # SHA-256 (the hashes of cases, games, roadmaps and the ledger)
}

# Designated internal interfaces: header -> the modules (besides its own)
# that may include it.
INTERFACES = {
    "core/case_build.h": {"io"},          # building a case: the readers
    "core/case_work.h": {"analysis"},     # a case's working copy for sweeps
    "engines/engine_run.h": {"analysis"},  # running an engine many times
    "engines/engine_watch.h": {"report"},  # a forecast whose progress is watched
    "core/json_writer.h": {"report"},     # a document written without a jansson tree
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def resolve(root, path, inc):
    """Where the compiler finds a quoted include: beside the file, then the
    library's include paths (src/, include/)."""
    for base in (os.path.dirname(path), os.path.join(root, "src"),
                 os.path.join(root, "include")):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(cand):
            return os.path.relpath(cand, root)
    return None


def sources(root, top):
    for d, _, files in os.walk(os.path.join(root, top)):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(d, f)


def check(root):
    errors = []
    n_files = n_cross = 0
    for path in sources(root, "src"):
        rel = os.path.relpath(path, root)
        module = rel.split(os.sep)[1]
        n_files += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, path, m.group(1))
                where = f"{rel}:{lineno}"
                if target is None:
                    errors.append(f"{where}: #include \"{m.group(1)}\" resolves to no file "
                                  "beside it, in src/ or in include/")
                    continue
                parts = target.split(os.sep)
                if parts[0] == "include":
                    continue  # the public API
                if parts[0] != "src":
                    errors.append(f"{where}: includes {target}, outside src/ and include/")
                    continue
                owner = parts[1]
                if owner == module:
                    continue
                n_cross += 1
                key = "/".join(parts[1:])
                if key in SHARED:
                    continue
                if module in INTERFACES.get(key, ()):
                    continue
                if key in INTERFACES:
                    errors.append(f"{where}: module {module} includes {key}, an interface "
                                  f"of {owner} open only to {', '.join(sorted(INTERFACES[key]))}")
                else:
                    errors.append(f"{where}: module {module} includes {key}, a private "
                                  f"header of module {owner}")
    for path in sources(root, "cli"):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, path, m.group(1))
                if target is None or not target.startswith("cli" + os.sep):
                    errors.append(f"{rel}:{lineno}: cli/ includes \"{m.group(1)}\": the "
                                  "command sees the library through <parley/...> only")
    for top in ("src", "cli"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    n = sum(1 for _ in f)
                if n > MAX_LINES:
                    errors.append(f"{os.path.relpath(path, root)}: {n} lines, over "
                                  f"{MAX_LINES}: split it by role")
    for key in sorted(SHARED | set(INTERFACES)):
        if not os.path.isfile(os.path.join(root, "src", key)):
            errors.append(f"src/{key}: listed as shared or as an interface but absent")
    return errors, n_files, n_cross


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PARLEY_SOURCE_ROOT", ".")
    errors, n_files, n_cross = check(root)
    if n_files < 50:
        print(f"FAIL: only {n_files} source files under {root}/src")
        return 1
    for e in errors:
        print("FAIL:", e)
    print(f"layers: {n_files} files of src/, {n_cross} includes across modules, "
          f"{len(errors)} refused")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
