// SPDX-License-Identifier: GPL-2.0-only
/* drivers/input/joystick/adi.c: a stand-in module (see README.md). */
extern int printk(const char *fmt, ...);
int adi_init(void) { return printk("drivers/input/joystick/adi\n"); }
