// SPDX-License-Identifier: GPL-2.0-only
/* drivers/usb/serial/ftdi_sio.c: a stand-in module (see README.md). */
extern int printk(const char *fmt, ...);
int ftdi_sio_init(void) { return printk("drivers/usb/serial/ftdi_sio\n"); }
