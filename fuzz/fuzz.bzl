# SPDX-License-Identifier: GPL-2.0-only
"""fuzz_corpus_test: a fuzzer's entry point as a doctest over its corpus."""

load("@rules_cc//cc:defs.bzl", "cc_test")

def fuzz_corpus_test(name, deps):
    """NAME_corpus_test: fuzz/NAME_fuzzer.cc + corpus_test.cc over corpus/NAME/.

    Each fuzzer gets its own test binary: every one defines
    LLVMFuzzerTestOneInput.
    """
    cc_test(
        name = name + "_corpus_test",
        srcs = [
            name + "_fuzzer.cc",
            "corpus_test.cc",
        ],
        data = native.glob(["corpus/" + name + "/**"]),
        copts = ["-DMODRACE_FUZZ_NAME=" + name],
        deps = deps + ["//deps:doctest_main"],
    )
