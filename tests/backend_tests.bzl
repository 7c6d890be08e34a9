# SPDX-License-Identifier: GPL-2.0-only
"""The same end-to-end test once per backend (docs/architecture.md, Event model)."""

load("@rules_cc//cc:defs.bzl", "cc_test")

def cc_test_per_backend(targets, env_var, tags = [], **kwargs):
    """Declares one cc_test per entry of `targets`, all else alike.

    Args:
      targets: {target name: backend}. "" runs the binaries' default
        backend (no variable set); any other value is put in `env_var`.
        A fanotify target is also tagged "local": it needs root and the
        real filesystem.
      env_var: the variable the test reads its backend from
        (MODRACE_TEST_BACKEND for modraced's own tests, MODRACE_BACKEND for
        the CLI's).
      tags: tags of every target.
      **kwargs: the cc_test attributes they share (srcs, data, deps, size).
    """
    for name, backend in targets.items():
        extra = ["local"] if backend == "fanotify" and "local" not in tags else []
        cc_test(
            name = name,
            env = {env_var: backend} if backend else {},
            tags = extra + tags,
            **kwargs
        )
