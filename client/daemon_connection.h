// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_DAEMON_CONNECTION_H_
#define MODRACE_CLIENT_DAEMON_CONNECTION_H_

// How a subcommand finds the daemon it talks to: --socket PATH when given,
// else the daemon of --tree DIR (default ".") by the rule of
// common/socket_path.h, so every spelling of a path to a tree finds the
// same daemon.

#include <string>

#include <CLI/CLI.hpp>

#include "client/command.h"
#include "common/daemon_client.h"

namespace modrace {

// Adds --socket and --tree to a subcommand, bound to the global options, so
// `modrace --tree X status` and `modrace status --tree X` mean the same.
void AddDaemonOptions(CLI::App* sub, GlobalOptions* global);

// Adds --backend (auto, inotify, fanotify) for the commands that start a
// daemon; its default comes from $MODRACE_BACKEND when set, else "auto".
void AddBackendOption(CLI::App* sub, std::string* backend);

// The tree of the global options: --tree, else ".".
std::string TreeOf(const GlobalOptions& global);

// The socket to talk to. False with *error when the tree cannot be stat'ed
// (a usage error: exit 2).
bool ResolveSocketPath(const GlobalOptions& global, std::string* path, std::string* error);

// Connects to the daemon and checks its protocol version with `hello`.
// Returns an exit code: 0 connected, 2 the tree does not exist, 3 no daemon
// answers (with *error saying how to start one) or it speaks another
// protocol.
int ConnectToDaemon(const GlobalOptions& global, DaemonClient* client, std::string* error);
// ConnectToDaemon for the subcommand `command` ("status"): on failure it
// says why on stderr ("modrace status: ...") and returns the exit code;
// kExitClean when connected.
int ConnectOrSay(const char* command, const GlobalOptions& global, DaemonClient* client);

// The daemon's answer to `cmd`, or false with *error for a transport
// failure or a daemon error reply ("CODE: MESSAGE").
bool CallDaemon(DaemonClient* client, const std::string& cmd, const nlohmann::json& args,
                nlohmann::json* result, std::string* error, int timeout_ms = 60000);

}  // namespace modrace

#endif  // MODRACE_CLIENT_DAEMON_CONNECTION_H_
