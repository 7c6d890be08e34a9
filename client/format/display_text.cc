// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/display_text.h"

#include "proto/bytes_json.h"

namespace modrace {

namespace {

void AppendEscaped(std::string_view bytes, std::string* out) {
  static const char kDigits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out->append("\\x");
    out->push_back(kDigits[c >> 4]);
    out->push_back(kDigits[c & 0xF]);
  }
}

bool Displayable(unsigned int cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

// Collapses runs of one `\xNN` escape in DisplayText's output.
std::string CollapseRuns(const std::string& text) {
  constexpr size_t kEscape = 4;  // "\xNN"
  constexpr size_t kMinRun = 4;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "\\x") != 0 || i + kEscape > text.size()) {
      out.push_back(text[i++]);
      continue;
    }
    const std::string_view escape(text.data() + i, kEscape);
    size_t run = 1;
    while (i + (run + 1) * kEscape <= text.size() &&
           escape == std::string_view(text.data() + i + run * kEscape, kEscape)) {
      ++run;
    }
    out.append(escape);
    if (run >= kMinRun) {
      out += "{" + std::to_string(run) + " times}";
    } else {
      for (size_t k = 1; k < run; ++k) out.append(escape);
    }
    i += run * kEscape;
  }
  return out;
}

}  // namespace

std::string DisplayText(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    unsigned int cp = 0;
    const size_t len = Utf8SequenceAt(bytes, i, &cp);
    if (len == 0) {
      AppendEscaped(bytes.substr(i, 1), &out);
      ++i;
      continue;
    }
    if (Displayable(cp)) {
      out.append(bytes.substr(i, len));
    } else {
      AppendEscaped(bytes.substr(i, len), &out);
    }
    i += len;
  }
  return out;
}

std::string DisplayExcerpt(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() <= max_bytes) return CollapseRuns(DisplayText(bytes));
  // Move the cut back to the start of a character that would cross it, so
  // a well-formed character is not shown as \xNN halves.
  size_t cut = max_bytes;
  for (size_t k = 1; k <= 3 && k <= max_bytes; ++k) {
    const unsigned char c = static_cast<unsigned char>(bytes[max_bytes - k]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len > k) cut = max_bytes - k;
    break;
  }
  return CollapseRuns(DisplayText(bytes.substr(0, cut))) + "... (" +
         std::to_string(bytes.size() - cut) + " more bytes)";
}

std::string DisplayLine(std::string_view bytes) {
  const std::string text = DisplayText(bytes);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace modrace
