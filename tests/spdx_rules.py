# SPDX-License-Identifier: GPL-2.0-only
"""Which of the repository's files are source and how each says its license.

Source is every file in a language with comments: C and C++, Python, shell,
Starlark (BUILD, WORKSPACE, .bzl, .bazel), YAML, kbuild (Kbuild, Makefile),
.bazelrc, and every script with a `#!` line. Data is left as it is: JSON and
JSON lines (no comments), Markdown, fuzz dictionaries and corpora, the
config fragments and module lists that programs read back line by line, the
packaging's control files and man page parts. The line is the first one, or
the second after a `#!` line, as the kernel's checkpatch expects.
"""

import os

TAG = "SPDX-License-Identifier: GPL-2.0-only"

_SLASH = (".cc", ".h", ".c")
_HASH = (".py", ".sh", ".bzl", ".bazel", ".yml", ".bash-completion")
_HASH_NAMES = ("BUILD", "WORKSPACE", "Kbuild", "Makefile", ".bazelrc")


def comment_style(rel):
    """printf-style pattern of the SPDX line for the file `rel`."""
    return "// %s" if rel.endswith(_SLASH) else "# %s"


def needs_spdx(rel, first_line=None):
    """True when `rel` (a path relative to the repository) is source.

    first_line: the file's first line, when the caller has read it (a
    `#!` line makes a file without an extension a script)."""
    if rel.startswith("fuzz/corpus/"):
        return False
    name = os.path.basename(rel)
    if rel.endswith(_SLASH) or rel.endswith(_HASH) or name in _HASH_NAMES:
        return True
    return first_line is not None and first_line.startswith("#!")


def has_spdx(lines):
    """True when the SPDX line is the first line, or the second after `#!`."""
    at = 1 if lines and lines[0].startswith("#!") else 0
    return len(lines) > at and lines[at].rstrip().endswith(TAG) and lines[at].lstrip(
        "/#* ").startswith(TAG)
