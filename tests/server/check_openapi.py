#!/usr/bin/env python3
"""check_openapi.py - checks answers the server really gave against
docs/api/openapi.json (OpenAPI 3.1, whose schemas are JSON Schema 2020-12).

usage: check_openapi.py SPEC METHOD:PATH:STATUS=FILE ...

PATH is the spec's path template (/api/v1/cases/{id}).  Each FILE must be
JSON valid under the schema of that operation's answer for STATUS.  The spec
itself must be OpenAPI 3.1 with an operationId on every operation.  Exit 1
on any mismatch."""
import json
import sys

import jsonschema


def resolve(node, spec):
    """The schema with every local $ref replaced by what it points to."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target, spec)
        return {k: resolve(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, spec) for v in node]
    return node


def main():
    spec = json.load(open(sys.argv[1]))
    bad = 0
    if not spec.get("openapi", "").startswith("3.1"):
        print("spec: not OpenAPI 3.1")
        bad += 1
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if "operationId" not in op or "responses" not in op:
                print(f"spec: {method} {path}: no operationId or responses")
                bad += 1
    for arg in sys.argv[2:]:
        what, path_file = arg.split(":", 1)[0], arg.split(":", 1)[1]
        path, rest = path_file.rsplit(":", 1)
        status, fname = rest.split("=", 1)
        op = spec["paths"].get(path, {}).get(what.lower())
        if not op or status not in op["responses"]:
            print(f"{what} {path} {status}: not in the spec")
            bad += 1
            continue
        content = op["responses"][status].get("content", {})
        media = next(iter(content.values()))
        schema = resolve(media["schema"], spec)
        try:
            doc = json.load(open(fname))
            jsonschema.Draft202012Validator(schema).validate(doc)
            print(f"ok: {what} {path} {status}")
        except (ValueError, jsonschema.ValidationError) as e:
            print(f"{what} {path} {status}: {str(e).splitlines()[0]}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
