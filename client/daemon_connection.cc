// SPDX-License-Identifier: GPL-2.0-only
#include "client/daemon_connection.h"

#include <stdlib.h>

#include <iostream>
#include <vector>

#include "client/format/display_text.h"
#include "client/exit_codes.h"
#include "common/socket_path.h"
#include "proto/version.h"

namespace modrace {

void AddDaemonOptions(CLI::App* sub, GlobalOptions* global) {
  sub->add_option("--socket", global->socket, "Socket of the daemon to talk to");
  sub->add_option("--tree", global->tree,
                  "Tree whose daemon to talk to (default: the current directory)");
}

void AddBackendOption(CLI::App* sub, std::string* backend) {
  static const std::vector<std::string> kBackends = {"auto", "inotify", "fanotify"};
  // Not CLI11's envname: its error would blame --backend for the variable.
  const char* env = getenv("MODRACE_BACKEND");
  if (env != nullptr && env[0] != '\0') *backend = env;
  CLI::Option* option =
      sub->add_option("--backend", *backend,
                      "Event source: auto (fanotify when permitted, else inotify), inotify, "
                      "fanotify; default $MODRACE_BACKEND, else auto")
          ->check(CLI::IsMember(kBackends));
  sub->parse_complete_callback([option, backend] {
    if (option->count() != 0) return;  // --backend given: checked above
    for (const auto& name : kBackends) {
      if (*backend == name) return;
    }
    throw CLI::ValidationError("MODRACE_BACKEND=" + *backend +
                               " (from the environment) is not a backend: use auto, inotify "
                               "or fanotify, or unset it");
  });
}

std::string TreeOf(const GlobalOptions& global) {
  return global.tree.empty() ? "." : global.tree;
}

bool ResolveSocketPath(const GlobalOptions& global, std::string* path, std::string* error) {
  if (!global.socket.empty()) {
    *path = global.socket;
    return true;
  }
  return SocketPathForTree(TreeOf(global), path, error);
}

int ConnectToDaemon(const GlobalOptions& global, DaemonClient* client, std::string* error) {
  std::string path;
  if (!ResolveSocketPath(global, &path, error)) return kExitUsage;
  if (!client->Connect(path, error)) {
    if (global.socket.empty()) {
      *error = "no daemon answers for tree " + DisplayLine(TreeOf(global)) + " (" + *error +
               "); start one with 'modrace start --tree " + DisplayLine(TreeOf(global)) + "'";
    }
    return kExitWatcher;
  }
  nlohmann::json hello;
  if (!CallDaemon(client, "hello", nlohmann::json::object(), &hello, error, 10000)) {
    *error = path + ": " + *error;
    return kExitWatcher;
  }
  const nlohmann::json version = hello.value("protocol_version", nlohmann::json());
  if (!version.is_number_integer() || version.get<int>() != kProtocolVersion) {
    *error = path + " speaks protocol " + version.dump() + ", this client " +
             std::to_string(kProtocolVersion) + ": use the modrace and modraced of one release";
    return kExitWatcher;
  }
  return kExitClean;
}

int ConnectOrSay(const char* command, const GlobalOptions& global, DaemonClient* client) {
  std::string error;
  const int rc = ConnectToDaemon(global, client, &error);
  if (rc != kExitClean) std::cerr << "modrace " << command << ": " << error << "\n";
  return rc;
}

bool CallDaemon(DaemonClient* client, const std::string& cmd, const nlohmann::json& args,
                nlohmann::json* result, std::string* error, int timeout_ms) {
  Reply reply;
  if (!client->Call(cmd, args, &reply, error, timeout_ms)) return false;
  if (!reply.ok) {
    *error = reply.error_code + ": " + reply.error_message;
    return false;
  }
  *result = std::move(reply.result);
  return true;
}

}  // namespace modrace
