#!/usr/bin/env python3
"""Fails when a file in src/<layer>/ includes a layer it may not use.

The layers (docs/architecture.md): base <- store <- ingest;
store <- query <- map <- http <- app; store <- fleet <- http; gen uses base;
bench uses gen.
A layer may include itself and the layers listed for it below, nothing else
in src/, and nothing from tools/ or tests/ (those may include src/, never the
other way round). System and library headers (<...>) are not checked.

Usage: scripts/check_layers.py [REPO_ROOT]   (exit 0: clean, 1: violations)
"""

import os
import re
import sys

# What each layer may include besides itself.
ALLOWED = {
    "base": set(),
    "store": {"base"},
    "ingest": {"base", "store"},
    "query": {"base", "store"},
    "map": {"base", "store", "query"},
    "fleet": {"base", "store"},
    "http": {"base", "store", "ingest", "query", "map", "fleet"},
    "gen": {"base"},
    "bench": {"base", "gen"},
    "app": {"base", "store", "ingest", "query", "map", "http", "fleet", "gen", "bench"},
}
FORBIDDEN_ROOTS = {"tools", "tests", "web"}
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".cc", ".cpp", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def included_layer(src_root, file_dir, target):
    """The top folder an include resolves to: a src/ layer, 'tools', 'tests', or None."""
    first = target.split("/", 1)[0]
    if first == "src":  # "src/query/x.h" through the repository-root include path
        target = target[4:]
        first = target.split("/", 1)[0]
    if first in ALLOWED or first in FORBIDDEN_ROOTS:
        return first
    if first in ("..", "."):  # a relative include: resolve it against the file's folder
        path = os.path.normpath(os.path.join(file_dir, target))
        rel = os.path.relpath(path, src_root)
        top = rel.split(os.sep, 1)[0]
        if top == "..":
            return os.path.relpath(path, os.path.dirname(src_root)).split(os.sep, 1)[0]
        return top
    return None  # a header beside the file or a library's own header


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    src = os.path.join(root, "src")
    problems = []
    for layer in sorted(os.listdir(src)):
        layer_dir = os.path.join(src, layer)
        if not os.path.isdir(layer_dir):
            continue
        if layer not in ALLOWED:
            problems.append(f"src/{layer}/: a folder that is not a known layer; "
                            "add it to ALLOWED in scripts/check_layers.py and to "
                            "docs/architecture.md")
            continue
        for dirpath, _, names in os.walk(layer_dir):
            for name in sorted(names):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = included_layer(src, dirpath, m.group(1))
                        if target is None or target == layer or target in ALLOWED[layer]:
                            continue
                        rel = os.path.relpath(path, root)
                        if target in FORBIDDEN_ROOTS:
                            why = f"nothing in src/ may include {target}/"
                        elif target in ALLOWED:
                            why = f"{layer} may use only {sorted(ALLOWED[layer]) or 'nothing'}"
                        else:
                            why = f"{target} is not a layer"
                        problems.append(f'{rel}:{number}: #include "{m.group(1)}": {why}')
    for p in problems:
        print(f"check_layers: {p}", file=sys.stderr)
    if problems:
        print(f"check_layers: {len(problems)} layer violation(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
