// SPDX-License-Identifier: GPL-2.0-only
// bench_ctl: one request to a running modraced, for bench/run.
//
//   bench_ctl SOCKET CMD [ARGS_JSON]
//
// Prints the reply's result as one JSON line; exits 0 when the reply is ok,
// 1 on a daemon error (printed), 3 when the daemon cannot be reached.

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "common/daemon_client.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_ctl SOCKET CMD [ARGS_JSON]\n");
    return 2;
  }
  nlohmann::json args = nlohmann::json::object();
  if (argc > 3) {
    args = nlohmann::json::parse(argv[3], nullptr, false);
    if (args.is_discarded()) {
      fprintf(stderr, "bench_ctl: ARGS_JSON is not JSON\n");
      return 2;
    }
  }
  modrace::DaemonClient client;
  std::string error;
  if (!client.Connect(argv[1], &error)) {
    fprintf(stderr, "bench_ctl: %s\n", error.c_str());
    return 3;
  }
  modrace::Reply reply;
  if (!client.Call(argv[2], args, &reply, &error, 600000)) {
    fprintf(stderr, "bench_ctl: %s\n", error.c_str());
    return 3;
  }
  if (!reply.ok) {
    fprintf(stderr, "bench_ctl: %s: %s\n", reply.error_code.c_str(), reply.error_message.c_str());
    return 1;
  }
  printf("%s\n", reply.result.dump().c_str());
  return 0;
}
