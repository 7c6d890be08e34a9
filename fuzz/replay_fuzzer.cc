// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the whole analyzer: any byte stream through ReplayEvents (the
// `modrace replay` and scenario path), then every finding and the report
// parts serialized as the daemon would.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analyzer/analyzer.h"
#include "analyzer/replay.h"
#include "proto/bytes_json.h"
#include "proto/finding.h"
#include "proto/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Analyzer analyzer("/build/tree");
  const ReplayResult r = ReplayEvents(text, &analyzer);
  if (!r.ok && (r.bad_line == 0 || r.error.empty())) abort();
  for (const Finding& f : analyzer.findings()) {
    const std::string line = DumpLine(nlohmann::json(f));
    if (line.find('\n') != std::string::npos) abort();
  }
  (void)DumpLine(nlohmann::json(analyzer.coverage()));
  (void)DumpLine(nlohmann::json(analyzer.statistics()));
  // A reset analyzer takes the same stream again.
  analyzer.Reset();
  (void)ReplayEvents(text, &analyzer);
  return 0;
}
