#include "client/input_file.h"

#include <errno.h>
#include <string.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

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

bool ReadInputFile(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + strerror(errno);
    return false;
  }
  std::stringstream s;
  s << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read " + path + ": " + strerror(errno);
    return false;
  }
  *text = s.str();
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
