// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_OUTPUT_FILE_H_
#define MODRACE_CLIENT_OUTPUT_FILE_H_

// A file `run` or `repro` writes after the build (--output, repro's
// --report), opened before it, so a path that cannot be written stops
// modrace before the build runs, not after it. A file it created and never
// wrote is removed again.

#include <string>

namespace modrace {

class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  bool Open(const std::string& path, std::string* error);
  // Replaces the whole content and closes the file.
  bool Write(const std::string& text, std::string* error);
  bool is_open() const { return fd_ >= 0; }

 private:
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
  bool written_ = false;
};

}  // namespace modrace

#endif  // MODRACE_CLIENT_OUTPUT_FILE_H_
