// SPDX-License-Identifier: GPL-2.0-only
// SPDX-License-Identifier: GPL-2.0
/* kbuild-twice/sub/x.c: a module built twice at once (see ../README.md). */
#include <linux/module.h>
static int __init x_init(void) { pr_info("x\n"); return 0; }
static void __exit x_exit(void) { }
module_init(x_init);
module_exit(x_exit);
MODULE_LICENSE("GPL");
