// SPDX-License-Identifier: GPL-2.0-only
#include "client/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/unique_fd.h"

#include "proto/version.h"

namespace modrace {

namespace {

constexpr std::string_view kReportPrefix = "modrace.report/";

bool LooksLikeEvent(const nlohmann::json& j) {
  return j.is_object() && j.contains("seq") && j.contains("kind");
}

std::string_view FirstLine(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  return text.substr(0, text.find('\n'));
}

}  // namespace

std::string PlainJsonError(std::string_view what) {
  std::string s(what);
  const size_t tag = s.find("[json.exception.");
  if (tag != std::string::npos) {
    const size_t end = s.find("] ", tag);
    if (end != std::string::npos) s.erase(tag, end + 2 - tag);
  }
  return s;
}

InputKind ClassifyInput(std::string_view text) {
  if (FirstLine(text).empty()) return InputKind::kEmpty;
  const nlohmann::json whole = nlohmann::json::parse(text, nullptr, false);
  if (!whole.is_discarded()) {
    if (whole.is_object()) {
      const auto it = whole.find("schema");
      if (it != whole.end() && it->is_string() &&
          it->get<std::string>().rfind(kReportPrefix, 0) == 0) {
        return InputKind::kReport;
      }
    }
    return LooksLikeEvent(whole) ? InputKind::kRecording : InputKind::kOtherJson;
  }
  const nlohmann::json first = nlohmann::json::parse(FirstLine(text), nullptr, false);
  return !first.is_discarded() && LooksLikeEvent(first) ? InputKind::kRecording
                                                        : InputKind::kNotJson;
}

const char* NonRegularKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

bool ReadInputFile(const std::string& path, std::string* text, std::string* error,
                   size_t limit) {
  const bool is_stdin = path == "-";
  // O_NONBLOCK: opening a FIFO nobody writes returns at once; fstat then
  // refuses it.
  UniqueFd owned;
  if (!is_stdin) {
    owned.Reset(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (owned.get() < 0) {
      *error = "cannot read " + path + ": " + strerror(errno);
      return false;
    }
  }
  const int fd = is_stdin ? STDIN_FILENO : owned.get();
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *error = "cannot read " + path + ": " + strerror(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    *error = "cannot read " + path + ": it is a directory";
    return false;
  }
  if (!is_stdin && !S_ISREG(st.st_mode)) {
    *error = "cannot read " + path + ": " + path + " is " + NonRegularKind(st.st_mode) +
             ", not a regular file (give a saved file, or '-' for standard input)";
    return false;
  }
  const std::string too_big = "cannot read " + path + ": larger than the " +
                              std::to_string(limit) + "-byte limit (" +
                              (limit >= (size_t{1} << 30)
                                   ? std::to_string(limit >> 30) + " GiB"
                                   : std::to_string(limit) + " bytes") +
                              "), far more than any real report or recording";
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limit) {
    *error = too_big;
    return false;
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = "cannot read " + path + ": " + strerror(errno);
      return false;
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) {
      *error = too_big;
      return false;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  *text = std::move(out);
  return true;
}

bool LoadReportFile(const std::string& path, Report* report, std::string* error) {
  std::string text;
  if (!ReadInputFile(path, &text, error)) return false;
  const std::string expected = std::string("expected a modrace report (") + kReportSchema +
                               ", from --report or --format json)";
  switch (ClassifyInput(text)) {
    case InputKind::kEmpty:
      *error = path + " is empty; " + expected;
      return false;
    case InputKind::kRecording:
      *error = path + " is a recording of events (modraced --record), not a report: use "
                      "'modrace replay " + path + "'";
      return false;
    case InputKind::kNotJson:
      *error = path + " is not JSON; " + expected;
      return false;
    case InputKind::kOtherJson: {
      const nlohmann::json j = nlohmann::json::parse(text);
      const auto it = j.is_object() ? j.find("schema") : j.end();
      if (it == j.end()) {
        *error = path + " is JSON but not a modrace report: it has no \"schema\"; " + expected;
      } else {
        *error = path + " is not a modrace report: its schema is " + it->dump() + "; " +
                 expected;
      }
      return false;
    }
    case InputKind::kReport:
      break;
  }
  try {
    *report = nlohmann::json::parse(text).get<Report>();
  } catch (const std::exception& e) {
    *error = path + " is a modrace report this modrace cannot read (" +
             PlainJsonError(e.what()) + "); " + expected;
    return false;
  }
  return true;
}

}  // namespace modrace
