// SPDX-License-Identifier: GPL-2.0-only
#include "client/private_daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/daemon_connection.h"
#include "client/exit_codes.h"
#include "common/socket_path.h"

namespace modrace {

namespace {

// A barrier on a tree busy with a big build can take a while.
constexpr int kSettleTimeoutMs = 120000;

}  // namespace

PrivateDaemon::~PrivateDaemon() {
  Stop();
  if (!fallback_dir_.empty()) rmdir(fallback_dir_.c_str());
}

std::string PrivateSocketPath(pid_t client) {
  return SocketDir() + "/run-" + std::to_string(client) + ".sock";
}

int PrivateDaemon::Start(LaunchOptions options, std::string* error) {
  std::string ignored;
  socket_path_ = PrivateSocketPath(getpid());
  if (!EnsurePrivateDir(SocketDir(), &ignored) || !SocketPathFits(socket_path_)) {
    // The socket directory is not this user's to use (`sudo -E` keeps
    // another user's XDG_RUNTIME_DIR) or too deep: a fresh 0700 directory
    // of its own instead, under /tmp (a socket path must fit in 107 bytes).
    // `status --all` does not see the daemon there; it still dies with us.
    char tmpl[] = "/tmp/modrace-run-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      *error = std::string("cannot create a directory for the daemon's socket: ") +
               strerror(errno);
      return kExitWatcher;
    }
    fallback_dir_ = tmpl;
    socket_path_ = fallback_dir_ + "/modraced.sock";
  }
  options.socket_path = socket_path_;
  // The build is what this process starts: nothing above it is named.
  options.build_parent = getpid();
  options.die_with_parent = true;
  const int rc = LaunchDaemon(options, &daemon_, error);
  if (rc != kExitClean) return rc;
  if (!client_.Connect(daemon_.socket_path, error)) return kExitWatcher;
  return kExitClean;
}

bool PrivateDaemon::SettledReport(Report* report, std::string* error) {
  nlohmann::json result;
  if (!CallDaemon(&client_, "report", {{"settle", true}, {"timeout_ms", kSettleTimeoutMs}},
                  &result, error, kSettleTimeoutMs + 10000)) {
    return false;
  }
  try {
    *report = result.at("report").get<Report>();
  } catch (const std::exception& e) {
    *error = std::string("the daemon sent a report this client cannot read: ") + e.what();
    return false;
  }
  return true;
}

bool PrivateDaemon::Settle(std::string* error) {
  nlohmann::json result;
  return CallDaemon(&client_, "barrier", {{"timeout_ms", kSettleTimeoutMs}}, &result, error,
                    kSettleTimeoutMs + 10000);
}

bool PrivateDaemon::Reset(std::string* error) {
  nlohmann::json result;
  return CallDaemon(&client_, "reset", nlohmann::json::object(), &result, error);
}

bool PrivateDaemon::Status(nlohmann::json* status, std::string* error) {
  return CallDaemon(&client_, "status", nlohmann::json::object(), status, error, 5000);
}

void PrivateDaemon::Stop() {
  if (daemon_.pid <= 0) return;
  nlohmann::json ignored;
  std::string error;
  if (!client_.connected() ||
      !CallDaemon(&client_, "shutdown", nlohmann::json::object(), &ignored, &error, 5000)) {
    kill(daemon_.pid, SIGTERM);  // SIGTERM flushes too
  }
  client_.Close();
  ReapWithin(daemon_.pid, 30000);
  daemon_.pid = -1;
  // The daemon unlinks its socket; a killed one leaves it behind.
  unlink(socket_path_.c_str());
}

}  // namespace modrace
