#!/usr/bin/env python3
"""Every flag the docs name exists in the `--help` of its subcommand.

Usage: check_cli_flags.py PLCSCOPE_BINARY REPO_ROOT [DOC...]
(default docs: README.md docs/cli.md; exit 0: all found, 1: a flag is missing)

A flag belongs to the subcommand named before it: a heading "## `plcscope X`",
or `plcscope X` / a list item "- `X ..." earlier on the line or in the same
paragraph. Flags with no subcommand in sight are checked against the help of
`plcscope` itself.
"""

import re
import subprocess
import sys

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
HELP_OPTION = re.compile(r"^\s+(?:-\w,)?(--[a-z][a-z0-9-]*(?:,--[a-z][a-z0-9-]*)*)")
SUBCOMMAND_LINE = re.compile(r"^\s+([a-z]+)\s{2,}\S")


def help_flags(binary, args):
    out = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        sys.exit(f"check_cli_flags: `{' '.join(['plcscope', *args, '--help'])}` "
                 f"exited {out.returncode}")
    flags = set()
    for line in out.stdout.splitlines():
        m = HELP_OPTION.match(line)
        if m:
            flags.update(m.group(1).split(","))  # aliases: "--data-dir,--store"
    return flags, out.stdout


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, root = sys.argv[1], sys.argv[2]
    docs = sys.argv[3:] or ["README.md", "docs/cli.md"]
    top_flags, top_help = help_flags(binary, [])
    subcommands = set()
    in_subcommands = False
    for line in top_help.splitlines():
        if line.lower().startswith("subcommands"):
            in_subcommands = True
            continue
        if in_subcommands:
            m = SUBCOMMAND_LINE.match(line)
            if m:
                subcommands.add(m.group(1))
            elif line.strip() == "" or not line.startswith(" "):
                in_subcommands = False
    if not subcommands:
        sys.exit("check_cli_flags: no subcommands found in `plcscope --help`")
    flags = {s: help_flags(binary, [s])[0] for s in sorted(subcommands)}
    flags[None] = top_flags

    name = "|".join(sorted(subcommands))
    heading = re.compile(r"^#+ .*`plcscope (%s)\b" % name)
    mention = re.compile(r"plcscope (%s)\b|^\s*[-*] `(%s)\b" % (name, name))
    missing = []
    checked = 0
    for doc in docs:
        section = None
        paragraph = None
        with open(f"{root}/{doc}", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.startswith("#"):
                    m = heading.match(line)
                    section = m.group(1) if m else None
                    paragraph = None
                    continue
                if not line.strip():
                    paragraph = None
                    continue
                pos = 0
                for flag in FLAG.finditer(line):
                    for m in mention.finditer(line, pos, flag.start()):
                        paragraph = m.group(1) or m.group(2)
                    pos = flag.start()
                    sub = paragraph or section
                    checked += 1
                    if flag.group(0) not in flags[sub]:
                        where = f"plcscope {sub}" if sub else "plcscope"
                        missing.append(f"{doc}:{number}: {flag.group(0)} is not in `{where} --help`")
                for m in mention.finditer(line, pos):
                    paragraph = m.group(1) or m.group(2)
    for m in missing:
        print(f"check_cli_flags: {m}", file=sys.stderr)
    print(f"check_cli_flags: {checked} documented flags, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
