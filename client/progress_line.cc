#include "client/progress_line.h"

#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace modrace {

ProgressLine::ProgressLine() : enabled_(isatty(STDERR_FILENO) == 1) {}

void ProgressLine::Show(const std::string& text) {
  if (!enabled_) return;
  size_t width = 80;
  struct winsize ws;
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) width = ws.ws_col;
  // One column short: a full line would wrap on some terminals.
  std::string line;
  for (char c : text) {
    if (line.size() + 1 >= width) break;
    line.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  fprintf(stderr, "\r\033[K%s", line.c_str());
  fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!enabled_ || !shown_) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  shown_ = false;
}

std::string FormatElapsed(double seconds) {
  char buf[64];
  if (seconds < 60) {
    snprintf(buf, sizeof(buf), "%.1f s", seconds);
  } else {
    const long s = static_cast<long>(seconds);
    snprintf(buf, sizeof(buf), "%ld min %02ld s", s / 60, s % 60);
  }
  return buf;
}

}  // namespace modrace
