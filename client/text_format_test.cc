#include "client/text_format.h"

#include <sstream>

#include <doctest/doctest.h>

#include "client/format_testing.h"

namespace modrace {

TEST_CASE("text: one block per finding with what, where, how sure and what to do") {
  std::ostringstream out;
  RenderText(AsixReport(), out);
  const std::string s = out.str();
  CHECK(s.find("module_name_collision") != std::string::npos);
  CHECK(s.find("what to do:") != std::string::npos);
  CHECK(s.find("certain") != std::string::npos);
}

TEST_CASE("text: hostile bytes never reach the terminal raw, each field stays on its line") {
  std::ostringstream out;
  RenderText(HostileReport(), out);
  const std::string s = out.str();
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK(s.find('\0') == std::string::npos);
  for (char c : s) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t'));
}

TEST_CASE("text: an incomplete report says so") {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.overflows = 2;
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("INCOMPLETE") != std::string::npos);
}

TEST_CASE("text: says which backend watched, and so why no writer is named") {
  Report r = CleanReport();
  r.backend_reason = "auto chose inotify: fanotify needs CAP_SYS_ADMIN (root); inotify does not "
                     "say which process wrote, so no writer is named";
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("\nbackend: auto chose inotify: fanotify needs CAP_SYS_ADMIN (root); "
                       "inotify does not say which process wrote, so no writer is named\n") !=
        std::string::npos);
  r.backend_reason.clear();  // a report from before backend_reason
  std::ostringstream bare;
  RenderText(r, bare);
  CHECK(bare.str().find("\nbackend: inotify; inotify does not say which process wrote") !=
        std::string::npos);
  r.backend = "fanotify";
  std::ostringstream named;
  RenderText(r, named);
  CHECK(named.str().find("\nbackend: fanotify beside inotify: writers are named by pid") !=
        std::string::npos);
  r.backend = "audit";
  std::ostringstream audit;
  RenderText(r, audit);
  CHECK(audit.str().find("backend:") == std::string::npos);
}

}  // namespace modrace
