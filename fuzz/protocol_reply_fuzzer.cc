// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the client side of the protocol: ParseReply on any line a daemon
// (or something else listening on the socket) might send.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/bytes_json.h"
#include "proto/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  Reply reply;
  std::string error;
  if (ParseReply(std::string_view(reinterpret_cast<const char*>(data), size), &reply, &error)) {
    (void)DumpLine(ReplyToJson(reply));
  }
  return 0;
}
