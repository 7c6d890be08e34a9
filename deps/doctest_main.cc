// SPDX-License-Identifier: GPL-2.0-only
// The one main() of every doctest binary. scripts/test counts the cases from
// doctest's own summary line, so every test target links this.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
