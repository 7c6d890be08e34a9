// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/line_reader.h"

namespace modrace {

bool LineReader::Feed(std::string_view bytes, const OnLine& on_line,
                      const OnTooLong& on_too_long, size_t* consumed) {
  const size_t total = bytes.size();
  if (consumed != nullptr) *consumed = total;
  auto stop = [&] {
    if (consumed != nullptr) *consumed = total - bytes.size();
    return false;
  };
  while (!bytes.empty()) {
    const size_t nl = bytes.find('\n');
    if (skipping_) {
      if (nl == std::string_view::npos) return true;
      skipping_ = false;
      bytes.remove_prefix(nl + 1);
      continue;
    }
    if (nl == std::string_view::npos) {
      // One byte of slack: a '\r' that the coming '\n' makes harmless.
      if (partial_.size() + bytes.size() > max_line_ + 1) {
        partial_.clear();
        skipping_ = true;
        return on_too_long();  // every byte is taken (skipped) either way
      }
      partial_.append(bytes);
      return true;
    }
    const std::string_view piece = bytes.substr(0, nl);
    bytes.remove_prefix(nl + 1);
    size_t len = partial_.size() + piece.size();
    const bool cr = piece.empty() ? (!partial_.empty() && partial_.back() == '\r')
                                  : piece.back() == '\r';
    if (cr) --len;
    if (len > max_line_) {
      partial_.clear();
      if (!on_too_long()) return stop();
      continue;
    }
    bool go_on;
    if (partial_.empty()) {
      go_on = on_line(piece.substr(0, len));
    } else {
      partial_.append(piece);
      partial_.resize(len);
      std::string line;
      line.swap(partial_);
      go_on = on_line(line);
    }
    if (!go_on) return stop();
  }
  return true;
}

}  // namespace modrace
