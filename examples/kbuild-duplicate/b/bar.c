// SPDX-License-Identifier: GPL-2.0-only
// SPDX-License-Identifier: GPL-2.0
/* kbuild-duplicate/b/bar.c: the clean variant's second module. */
#include <linux/module.h>
static int __init bar_init(void) { pr_info("bar\n"); return 0; }
static void __exit bar_exit(void) { }
module_init(bar_init);
module_exit(bar_exit);
MODULE_LICENSE("GPL");
