// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes what the daemon does with one request line from a client: parse
// it, build the reply that echoes its id (ok or error), serialize that
// reply as the server would, and parse it back as the client would.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/bytes_json.h"
#include "proto/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  Request request;
  std::string code, message;
  const bool ok = ParseRequest(line, &request, &code, &message);
  const Reply reply = ok ? OkReply(request.id, nlohmann::json{{"cmd", request.cmd},
                                                               {"args", request.args}})
                         : ErrorReply(request.id, code, message);
  const std::string out = DumpLine(ReplyToJson(reply));
  if (out.find('\n') != std::string::npos) abort();  // one JSON object per line
  Reply back;
  std::string error;
  if (!ParseReply(out, &back, &error)) abort();  // our own reply must parse
  if (back.ok != ok) abort();
  if (ok) {
    // A parsed request re-serializes to a request that parses the same.
    Request again;
    if (!ParseRequest(DumpLine(RequestToJson(request)), &again, &code, &message)) abort();
    if (again.cmd != request.cmd) abort();
  }
  return 0;
}
