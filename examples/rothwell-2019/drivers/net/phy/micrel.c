// SPDX-License-Identifier: GPL-2.0-only
/* drivers/net/phy/micrel.c: a stand-in module (see README.md). */
extern int printk(const char *fmt, ...);
int micrel_init(void) { return printk("drivers/net/phy/micrel\n"); }
