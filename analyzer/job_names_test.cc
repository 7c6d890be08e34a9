// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/job_names.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("JobShortName: kbuild's quiet line when the recipe echoes one") {
  CHECK(JobShortName("/bin/sh -c set -e;  echo '  CC [M]  drivers/net/usb/asix.o'; gcc -c -o "
                     "drivers/net/usb/asix.o drivers/net/usb/asix.c") ==
        "CC [M] drivers/net/usb/asix.o");
}

TEST_CASE("JobShortName: else the first command, past set -e and trap") {
  CHECK(JobShortName("/bin/sh -c set -e;  trap 'rm -f s2/y.o; trap - HUP; kill -s $sig $$' HUP "
                     "INT; gcc -Wp,-MMD,s2/.y.o.d -nostdinc -O2 -c -o s2/y.o s2/y.c; "
                     "scripts/basic/fixdep s2/.y.o.d s2/y.o") == "gcc -o s2/y.o");
  CHECK(JobShortName("/bin/sh -c { echo drivers/net/phy/asix.ko; echo drivers/net/phy/asix.o; "
                     "nm drivers/net/phy/asix.o | awk 'x'; } > .tmp_versions/asix.mod") ==
        "echo drivers/net/phy/asix.ko");
  CHECK(JobShortName("cp a.o a.ko") == "cp a.o a.ko");
  // kbuild's if_changed under -s: no echo, output to /dev/null first.
  CHECK(JobShortName("/bin/sh -c set -e;  exec >/dev/null;   trap 'rm -f sub/x.o; trap - HUP; "
                     "kill -s HUP $$' HUP;  gcc-12 -Wp,-MMD,sub/.x.o.d -c -o sub/x.o sub/x.c") ==
        "gcc-12 -o sub/x.o");
  CHECK(JobShortName("/usr/bin/python3 x.py --very-long-argument-list-that-goes-on-and-on-and-on")
            .size() <= 60);
  CHECK(JobShortName("") == "");
}

TEST_CASE("MakeCall: obj=, else -C, else -f") {
  CHECK(MakeCall("make -f ./scripts/Makefile.build obj=drivers/net/phy need-builtin=1") ==
        "obj=drivers/net/phy");
  CHECK(MakeCall("make -s -C /usr/src/linux-headers-6.1.0-amd64 M=/tmp/x -j2 modules") ==
        "-C /usr/src/linux-headers-6.1.0-amd64");
  CHECK(MakeCall("make -C/tmp/t") == "-C /tmp/t");
  CHECK(MakeCall("make -f scripts/Makefile.modpost") == "-f scripts/Makefile.modpost");
  // Else its arguments: the name of make is said by whoever prints it
  // ("make -j2", never "make make -j2").
  CHECK(MakeCall("make -j2") == "-j2");
  CHECK(MakeCall("/usr/bin/make -j2 all") == "-j2 all");
  CHECK(MakeCall("make") == "");
}

TEST_CASE("Shorten marks a cut") {
  CHECK(Shorten("abcdef", 10) == "abcdef");
  CHECK(Shorten("abcdefghijkl", 8) == "abcde...");
}

}  // namespace modrace
