#include "client/display_text.h"

namespace modrace {

namespace {

// Length of the well-formed UTF-8 sequence at s[i] and its code point, or 0
// when s[i] does not start one (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF).
size_t SequenceAt(std::string_view s, size_t i, unsigned int* cp_out) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp_out = c;
    return 1;
  }
  size_t len;
  unsigned int cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *cp_out = cp;
  return len;
}

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
    const size_t len = SequenceAt(bytes, i, &cp);
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
