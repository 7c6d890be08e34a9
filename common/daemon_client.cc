// SPDX-License-Identifier: GPL-2.0-only
#include "common/daemon_client.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "proto/bytes_json.h"

namespace modrace {

DaemonClient::~DaemonClient() { Close(); }

void DaemonClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool DaemonClient::Connect(const std::string& socket_path, std::string* error) {
  Close();
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    *error = "socket path too long: " + socket_path;
    return false;
  }
  memcpy(addr.sun_path, socket_path.c_str(), socket_path.size());
  fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + strerror(errno);
    return false;
  }
  int rc;
  do {
    rc = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    *error = "cannot connect to " + socket_path + ": " + strerror(errno) +
             (errno == ENOENT || errno == ECONNREFUSED ? " (is modraced running for this tree?)"
                                                       : "");
    Close();
    return false;
  }
  return true;
}

bool DaemonClient::SendLine(std::string_view line, std::string* error) {
  if (fd_ < 0) {
    *error = "not connected";
    return false;
  }
  std::string data(line);
  data.push_back('\n');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::string("send: ") + strerror(errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool DaemonClient::Send(const Request& request, std::string* error) {
  return SendLine(DumpLine(RequestToJson(request)), error);
}

bool DaemonClient::ReadLine(std::string* line, int timeout_ms, std::string* error) {
  const int64_t deadline = timeout_ms < 0 ? -1 : NowMs() + timeout_ms;
  timed_out_ = false;
  for (;;) {
    const size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      line->assign(buffer_, 0, nl);
      buffer_.erase(0, nl + 1);
      return true;
    }
    if (fd_ < 0) {
      *error = "not connected";
      return false;
    }
    int wait = -1;
    if (deadline >= 0) {
      wait = static_cast<int>(deadline - NowMs());
      if (wait <= 0) {
        timed_out_ = true;
        *error = "timed out waiting for the daemon";
        return false;
      }
    }
    struct pollfd p = {fd_, POLLIN, 0};
    const int pr = poll(&p, 1, wait);
    if (pr < 0) {
      if (errno == EINTR) continue;
      *error = std::string("poll: ") + strerror(errno);
      return false;
    }
    if (pr == 0) continue;  // the deadline check above ends it
    char chunk[65536];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      *error = std::string("recv: ") + strerror(errno);
      return false;
    }
    if (n == 0) {
      *error = "connection closed by the daemon";
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

bool DaemonClient::Call(const std::string& cmd, const nlohmann::json& args, Reply* reply,
                        std::string* error, int timeout_ms) {
  Request r;
  r.id = next_id_++;
  r.cmd = cmd;
  r.args = args.is_null() ? nlohmann::json::object() : args;
  if (!Send(r, error)) return false;
  const int64_t deadline = NowMs() + timeout_ms;
  for (;;) {
    std::string line;
    const int left = static_cast<int>(deadline - NowMs());
    if (left <= 0 || !ReadLine(&line, left, error)) {
      if (left <= 0) {
        timed_out_ = true;
        *error = "timed out waiting for the reply to " + cmd;
      }
      return false;
    }
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("event")) {
      events_.push_back(std::move(j));
      continue;
    }
    if (!ParseReply(line, reply, error)) return false;
    if (reply->id == r.id || reply->id.is_null()) return true;
  }
}

bool DaemonClient::ReadEvent(nlohmann::json* event, int timeout_ms, std::string* error) {
  timed_out_ = false;
  if (!events_.empty()) {
    *event = std::move(events_.front());
    events_.pop_front();
    return true;
  }
  std::string line;
  const int64_t deadline = NowMs() + timeout_ms;
  for (;;) {
    const int left = static_cast<int>(deadline - NowMs());
    if (!ReadLine(&line, left < 0 ? 0 : left, error)) return false;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("event")) {
      *event = std::move(j);
      return true;
    }
  }
}

}  // namespace modrace
