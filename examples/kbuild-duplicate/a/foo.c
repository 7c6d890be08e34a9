// SPDX-License-Identifier: GPL-2.0-only
// SPDX-License-Identifier: GPL-2.0
/* kbuild-duplicate/a/foo.c: one of two modules named foo (see ../README.md). */
#include <linux/module.h>
static int __init foo_init(void) { pr_info("foo from a\n"); return 0; }
static void __exit foo_exit(void) { }
module_init(foo_init);
module_exit(foo_exit);
MODULE_LICENSE("GPL");
