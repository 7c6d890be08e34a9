// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/socket_server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "proto/bytes_json.h"
#include "proto/protocol.h"

namespace modrace {

namespace {

// A client told to go (slow subscriber) gets this long to read its last
// lines before it is cut off.
constexpr uint64_t kCloseGraceMs = 5000;

std::string ErrorLine(const char* code, const std::string& message) {
  return DumpLine(ReplyToJson(ErrorReply(nullptr, code, message)));
}

}  // namespace

struct SocketServer::Client {
  explicit Client(size_t max_line) : reader(max_line) {}
  SocketServer* server = nullptr;
  ClientId id = 0;
  uv_pipe_t pipe;
  LineReader reader;
  std::string held;  // read but not yet fed: over its output bound, or its turn used
  bool reading = false;
  bool yielded = false;  // stopped after its turn's lines; ResumeYielded goes on
  bool listed = false;   // in yielded_
  bool closing = false;
  bool close_after_flush = false;
  uint64_t close_deadline = 0;  // uv_now() ms, when close_after_flush
  size_t writes_in_flight = 0;
};

namespace {

struct WriteReq {
  uv_write_t req;
  std::string data;
};

std::vector<char>& ReadBuffer() {
  static std::vector<char> buffer(64 * 1024);
  return buffer;
}

}  // namespace

SocketServer::SocketServer(uv_loop_t* loop, ServerLimits limits, OnLine on_line,
                           OnDisconnect on_disconnect)
    : loop_(loop),
      limits_(limits),
      on_line_(std::move(on_line)),
      on_disconnect_(std::move(on_disconnect)) {}

SocketServer::~SocketServer() { Close(); }

bool SocketServer::Listen(const std::string& path, std::string* error) {
  struct sockaddr_un addr;
  if (path.size() >= sizeof(addr.sun_path)) {
    *error = "socket path too long (" + std::to_string(path.size()) + " bytes): " + path;
    return false;
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      *error = path + " exists and is not a socket";
      return false;
    }
    // Someone answering there is another daemon; nobody answering is a
    // leftover of a killed one.
    const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path.c_str(), path.size());
    const bool live =
        probe >= 0 && connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    if (probe >= 0) close(probe);
    if (live) {
      *error = "another daemon already listens on " + path;
      return false;
    }
    unlink(path.c_str());
  }
  listener_ = new uv_pipe_t;
  uv_pipe_init(loop_, listener_, 0);
  listener_->data = this;
  // Created 0600 (not chmod'ed after): no moment where others may connect.
  const mode_t old_umask = umask(0177);
  int rc = uv_pipe_bind(listener_, path.c_str());
  umask(old_umask);
  if (rc == 0) {
    chmod(path.c_str(), 0600);
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 1024, &SocketServer::OnConnection);
  }
  if (rc != 0) {
    *error = "cannot listen on " + path + ": " + uv_strerror(rc);
    uv_close(reinterpret_cast<uv_handle_t*>(listener_),
              [](uv_handle_t* h) { delete reinterpret_cast<uv_pipe_t*>(h); });
    listener_ = nullptr;
    return false;
  }
  path_ = path;
  // A client told to go that never reads is cut off after a grace period.
  reaper_ = new uv_timer_t;
  uv_timer_init(loop_, reaper_);
  reaper_->data = this;
  uv_timer_start(
      reaper_, [](uv_timer_t* t) { static_cast<SocketServer*>(t->data)->Reap(); }, 1000, 1000);
  uv_unref(reinterpret_cast<uv_handle_t*>(reaper_));
  return true;
}

void SocketServer::OnConnection(uv_stream_t* server, int status) {
  if (status < 0) return;
  static_cast<SocketServer*>(server->data)->Accept();
}

void SocketServer::Accept() {
  auto* c = new Client(limits_.max_line);
  c->server = this;
  uv_pipe_init(loop_, &c->pipe, 0);
  c->pipe.data = c;
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_),
                reinterpret_cast<uv_stream_t*>(&c->pipe)) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&c->pipe),
             [](uv_handle_t* h) { delete static_cast<Client*>(h->data); });
    return;
  }
  uv_os_fd_t fd;
  struct ucred cred;
  socklen_t len = sizeof(cred);
  const bool allowed =
      uv_fileno(reinterpret_cast<uv_handle_t*>(&c->pipe), &fd) == 0 &&
      getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
      (cred.uid == getuid() || cred.uid == 0);
  if (!allowed) {
    ++rejected_peers_;
    c->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->pipe),
             [](uv_handle_t* h) { delete static_cast<Client*>(h->data); });
    return;
  }
  c->id = next_id_++;
  clients_[c->id] = c;
  if (clients_.size() > limits_.max_clients) {
    // Told why, then closed; never read, so it costs no more than its reply.
    ++refused_over_limit_;
    Send(c->id, ErrorLine(kErrTooManyClients,
                          "the daemon already serves " + std::to_string(limits_.max_clients) +
                              " clients; try again later"));
    CloseAfterFlush(c->id);
    return;
  }
  StartReading(c);
}

void SocketServer::FeedLines(Client* c, std::string_view bytes) {
  bool over = false;
  bool turn_used = false;
  size_t lines = 0;
  size_t consumed = bytes.size();
  c->reader.Feed(
      bytes,
      [&](std::string_view line) {
        on_line_(c->id, line);
        if (c->closing || c->close_after_flush) return false;
        // Backpressure after each request: one read of small requests for
        // big replies must not queue replies without end.
        if (c->pipe.write_queue_size > limits_.max_pending_output) {
          over = true;
          return false;
        }
        if (++lines >= limits_.max_lines_per_turn) {
          turn_used = true;
          return false;
        }
        return true;
      },
      [&] {
        Send(c->id, ErrorLine(kErrLineTooLong, "request line longer than " +
                                                   std::to_string(limits_.max_line) +
                                                   " bytes; skipped"));
        return !c->closing;
      },
      &consumed);
  if (c->closing) return;
  if (over || turn_used) c->held.assign(bytes.substr(consumed));
  // A client that does not read its replies is not read.
  if (c->reading && c->pipe.write_queue_size > limits_.max_pending_output) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->pipe));
    c->reading = false;
  }
  if (turn_used && !over && !c->held.empty() && !c->close_after_flush) Yield(c);
}

void SocketServer::Yield(Client* c) {
  if (c->reading) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->pipe));
    c->reading = false;
  }
  c->yielded = true;
  if (!c->listed) {
    c->listed = true;
    yielded_.push_back(c->id);
  }
  if (resumer_ == nullptr) {
    resumer_ = new uv_idle_t;
    uv_idle_init(loop_, resumer_);
    resumer_->data = this;
  }
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(resumer_))) {
    uv_idle_start(resumer_, [](uv_idle_t* h) {
      static_cast<SocketServer*>(h->data)->ResumeYielded();
    });
  }
}

void SocketServer::ResumeYielded() {
  std::vector<ClientId> turn;
  turn.swap(yielded_);
  for (ClientId id : turn) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;
    Client* c = it->second;
    c->listed = false;
    if (!c->yielded) continue;
    c->yielded = false;
    // Over its output bound meanwhile: its write callbacks resume it.
    if (c->reading || c->closing || c->close_after_flush ||
        c->pipe.write_queue_size > limits_.max_pending_output) {
      continue;
    }
    StartReading(c);  // its held lines first; may yield again
  }
  if (yielded_.empty() && resumer_ != nullptr) uv_idle_stop(resumer_);
}

void SocketServer::StartReading(Client* c) {
  if (c->reading || c->closing) return;
  if (!c->held.empty()) {
    std::string again;
    again.swap(c->held);
    FeedLines(c, again);
    // Over the bound again, or done with: stay paused.
    if (c->closing || c->close_after_flush || !c->held.empty()) return;
  }
  c->reading = true;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&c->pipe),
      [](uv_handle_t*, size_t, uv_buf_t* buf) {
        std::vector<char>& b = ReadBuffer();
        *buf = uv_buf_init(b.data(), static_cast<unsigned>(b.size()));
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        Client* c = static_cast<Client*>(stream->data);
        SocketServer* self = c->server;
        if (nread < 0) {
          // EOF (perhaps a half-close after the last request) or an error:
          // what is queued still goes out.
          uv_read_stop(stream);
          c->reading = false;
          if (nread == UV_EOF) {
            self->CloseAfterFlush(c->id);
          } else {
            self->Drop(c);
          }
          return;
        }
        if (nread == 0) return;
        self->FeedLines(c, std::string_view(buf->base, static_cast<size_t>(nread)));
      });
}

bool SocketServer::Queued(const Client* c) const {
  return c->pipe.write_queue_size > 0 || c->writes_in_flight > 0;
}

void SocketServer::Write(Client* c, std::string data) {
  auto* w = new WriteReq;
  w->data = std::move(data);
  w->req.data = c;
  uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  ++c->writes_in_flight;
  const int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&c->pipe), &buf, 1,
                          [](uv_write_t* req, int status) {
                            auto* w = reinterpret_cast<WriteReq*>(req);
                            Client* c = static_cast<Client*>(req->data);
                            delete w;
                            --c->writes_in_flight;
                            if (c->closing) return;
                            SocketServer* self = c->server;
                            if (status < 0) {
                              self->Drop(c);
                              return;
                            }
                            if (c->close_after_flush) {
                              if (!self->Queued(c)) self->Drop(c);
                              return;
                            }
                            // Caught up below half the bound: read again,
                            // unless it waits for its next turn (every
                            // write done would give it another).
                            if (!c->reading && !c->yielded &&
                                c->pipe.write_queue_size < self->limits_.max_pending_output / 2) {
                              self->StartReading(c);
                            }
                          });
  if (rc != 0) {
    --c->writes_in_flight;
    delete w;
    Drop(c);
  }
}

bool SocketServer::Send(ClientId client, std::string_view line) {
  auto it = clients_.find(client);
  if (it == clients_.end() || it->second->closing) return false;
  std::string data;
  data.reserve(line.size() + 1);
  data.append(line);
  data.push_back('\n');
  Write(it->second, std::move(data));
  return true;
}

bool SocketServer::SendStream(ClientId client, std::string_view line) {
  auto it = clients_.find(client);
  if (it == clients_.end() || it->second->closing || it->second->close_after_flush) {
    return false;
  }
  Client* c = it->second;
  if (c->pipe.write_queue_size > limits_.max_pending_output) {
    Send(client, DumpLine(nlohmann::json{
                     {"event", "dropped"},
                     {"error",
                      {{"code", kErrSlowSubscriber},
                       {"message", "subscriber fell more than " +
                                       std::to_string(limits_.max_pending_output) +
                                       " bytes behind; disconnected"}}}}));
    CloseAfterFlush(client);
    return false;
  }
  return Send(client, line);
}

void SocketServer::CloseAfterFlush(ClientId client) {
  auto it = clients_.find(client);
  if (it == clients_.end()) return;
  Client* c = it->second;
  if (!Queued(c)) {
    Drop(c);
    return;
  }
  if (c->close_after_flush) return;
  c->close_after_flush = true;
  c->close_deadline = uv_now(loop_) + kCloseGraceMs;
}

void SocketServer::Reap() {
  const uint64_t now = uv_now(loop_);
  std::vector<Client*> late;
  for (auto& [id, c] : clients_) {
    if (c->close_after_flush && now >= c->close_deadline) late.push_back(c);
  }
  for (Client* c : late) Drop(c);
}

void SocketServer::Drop(Client* c) {
  if (c->closing) return;
  c->closing = true;
  clients_.erase(c->id);
  if (on_disconnect_) on_disconnect_(c->id);
  uv_close(reinterpret_cast<uv_handle_t*>(&c->pipe),
           [](uv_handle_t* h) { delete static_cast<Client*>(h->data); });
}

void SocketServer::Close() {
  if (listener_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(listener_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_pipe_t*>(h); });
    listener_ = nullptr;
    unlink(path_.c_str());
  }
  std::vector<Client*> all;
  for (auto& [id, c] : clients_) all.push_back(c);
  for (Client* c : all) Drop(c);
  if (reaper_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(reaper_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    reaper_ = nullptr;
  }
  if (resumer_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(resumer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
    resumer_ = nullptr;
  }
  yielded_.clear();
}

}  // namespace modrace
