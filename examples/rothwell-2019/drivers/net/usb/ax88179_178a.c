// SPDX-License-Identifier: GPL-2.0-only
/* drivers/net/usb/ax88179_178a.c: a stand-in module (see README.md). */
extern int printk(const char *fmt, ...);
int ax88179_178a_init(void) { return printk("drivers/net/usb/ax88179_178a\n"); }
