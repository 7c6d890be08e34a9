// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_SOCKET_SERVER_H_
#define MODRACE_DAEMON_SOCKET_SERVER_H_

// SocketServer: the daemon's Unix stream socket on the shared libuv loop.
// It frames lines and guards the daemon against its clients; it knows
// nothing of commands, findings or inotify.
//
// Contract:
// - Only peers with our uid (or root) are served (SO_PEERCRED); others are
//   closed at once.
// - One request per line, at most max_line bytes. A longer line gets one
//   line_too_long error reply and is skipped; the connection carries on.
// - Output is bounded per client. Replies are always queued, but a client
//   with more than max_pending_output bytes unread is not read from until
//   it catches up, so it cannot make the daemon buffer without end. The
//   bound is checked after every request line, not every read: the rest of
//   a read waits (at most one read buffer per client) until the client
//   catches up. Stream
//   lines (SendStream) to such a client are not queued: it gets one
//   slow_subscriber error line and is disconnected.
// - Fair turns: at most max_lines_per_turn request lines of one client are
//   handled per loop turn; the rest of what was read waits for the next
//   turn. A client that pipelines many requests gets a share of the loop,
//   not the loop (the event source and the other clients wait meanwhile).
// - At most max_clients connections are served at once; one more gets a
//   too_many_clients error line and is closed, and the others carry on.
// - A broken or vanished client only ever loses its own connection.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "daemon/line_reader.h"

namespace modrace {

struct ServerLimits {
  size_t max_line = 1 << 20;
  size_t max_pending_output = 4 << 20;
  // Each client costs an fd and up to max_line + max_pending_output bytes;
  // 512 stays below the usual 1024 open-file limit.
  size_t max_clients = 512;
  // Request lines of one client handled per loop turn (fair turns).
  size_t max_lines_per_turn = 16;
};

class SocketServer {
 public:
  using ClientId = uint64_t;
  // A complete request line from a client.
  using OnLine = std::function<void(ClientId client, std::string_view line)>;
  using OnDisconnect = std::function<void(ClientId client)>;

  SocketServer(uv_loop_t* loop, ServerLimits limits, OnLine on_line,
               OnDisconnect on_disconnect = nullptr);
  ~SocketServer();
  SocketServer(const SocketServer&) = delete;
  SocketServer& operator=(const SocketServer&) = delete;

  // Binds and listens at `path` (mode 0600). A stale socket file nobody
  // answers on is replaced; a live one is an error (another daemon).
  bool Listen(const std::string& path, std::string* error);

  // Queues `line` + '\n' for the client. Returns false when it is gone.
  bool Send(ClientId client, std::string_view line);
  // A stream line (subscriptions): dropped, with the client, when the
  // client is over its output bound. Returns false when not delivered.
  bool SendStream(ClientId client, std::string_view line);
  // Closes the connection once what is queued has been written.
  void CloseAfterFlush(ClientId client);

  // Stops listening, closes every client and removes the socket file.
  void Close();

  size_t clients() const { return clients_.size(); }
  uint64_t rejected_peers() const { return rejected_peers_; }
  uint64_t refused_over_limit() const { return refused_over_limit_; }
  const std::string& path() const { return path_; }

 private:
  struct Client;
  static void OnConnection(uv_stream_t* server, int status);
  void Accept();
  void StartReading(Client* c);
  void FeedLines(Client* c, std::string_view bytes);
  void Drop(Client* c);
  // Stops reading a client that used its turn; the next turn resumes it.
  void Yield(Client* c);
  void ResumeYielded();
  void Write(Client* c, std::string data);
  bool Queued(const Client* c) const;
  void Reap();

  uv_loop_t* loop_;
  ServerLimits limits_;
  OnLine on_line_;
  OnDisconnect on_disconnect_;
  uv_pipe_t* listener_ = nullptr;
  uv_timer_t* reaper_ = nullptr;
  uv_idle_t* resumer_ = nullptr;  // runs the next turn while clients wait for it
  std::vector<ClientId> yielded_;
  std::string path_;
  ClientId next_id_ = 1;
  std::unordered_map<ClientId, Client*> clients_;
  uint64_t rejected_peers_ = 0;
  uint64_t refused_over_limit_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_SOCKET_SERVER_H_
