// SPDX-License-Identifier: GPL-2.0-only
#include "tests/schema_check.h"

#include <cstdio>
#include <fstream>


#include <sys/wait.h>
#include <unistd.h>

namespace modrace {

std::string SchemaCheck(const std::string& schema_path, const std::string& lines) {
  // The lines go through a file: popen gives only one direction.
  char input[] = "/tmp/modrace-schema-XXXXXX";
  const int fd = mkstemp(input);
  if (fd < 0) return "cannot create a temporary file";
  const std::string body = lines.empty() || lines.back() == '\n' ? lines : lines + "\n";
  if (write(fd, body.data(), body.size()) != static_cast<ssize_t>(body.size())) {
    close(fd);
    unlink(input);
    return "cannot write a temporary file";
  }
  close(fd);
  const std::string cmd = "/usr/bin/python3 tests/schema_validate.py '" + schema_path +
                          "' < '" + input + "' 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    unlink(input);
    return "cannot run the schema validator";
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  unlink(input);
  if (status != 0 && out.empty()) out = "schema validator failed (is python3-jsonschema installed?)";
  return out;
}

}  // namespace modrace
