// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_LINE_READER_H_
#define MODRACE_DAEMON_LINE_READER_H_

// LineReader: splits a byte stream into '\n'-terminated lines of at most
// max_line bytes (the '\n' not counted; a trailing '\r' is dropped). A
// longer line is reported once, as soon as it passes the limit, and its
// bytes are skipped up to its newline; the stream then carries on. Memory
// stays bounded by max_line whatever the peer sends.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace modrace {

class LineReader {
 public:
  // on_line returns false to stop (e.g. the connection is being closed):
  // the rest of that chunk is then not read (see Feed's `consumed`).
  using OnLine = std::function<bool(std::string_view line)>;
  using OnTooLong = std::function<bool()>;

  explicit LineReader(size_t max_line) : max_line_(max_line) {}

  // Returns false when a callback asked to stop. `consumed`, when given, is
  // set to the bytes of `bytes` taken (all of them unless a callback
  // stopped): a caller that pauses can feed the rest again later.
  bool Feed(std::string_view bytes, const OnLine& on_line, const OnTooLong& on_too_long,
            size_t* consumed = nullptr);

  size_t buffered() const { return partial_.size(); }

 private:
  size_t max_line_;
  std::string partial_;
  bool skipping_ = false;  // inside an overlong line, until its '\n'
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_LINE_READER_H_
