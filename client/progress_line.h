#ifndef MODRACE_CLIENT_PROGRESS_LINE_H_
#define MODRACE_CLIENT_PROGRESS_LINE_H_

// The one-line progress display of long work (run, repro): rewritten in
// place on stderr, cut to the terminal's width. Disabled (every call a
// no-op) unless stderr is a terminal, so piped output gets nothing extra.

#include <string>

namespace modrace {

class ProgressLine {
 public:
  // Enabled when stderr is a terminal.
  ProgressLine();
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // Replaces the line with `text` (control bytes shown as '?').
  void Show(const std::string& text);
  // Erases the line, e.g. before printing something else to the terminal.
  void Clear();

 private:
  bool enabled_;
  bool shown_ = false;
};

// "12.3 s", "4 min 05 s": an elapsed time for people.
std::string FormatElapsed(double seconds);

}  // namespace modrace

#endif  // MODRACE_CLIENT_PROGRESS_LINE_H_
