// SPDX-License-Identifier: GPL-2.0-only
// bench_latency: detection latency of a running modraced. Subscribes, then
// makes RACES races one after the other and times each from the second
// writer's close to the matching finding's arrival (CLOCK_MONOTONIC).
//
// A race: two write handles on DIR/.tmp_versions/m<i>.mod (O_TRUNC, like
// kbuild's '>'), both open at once; the first writes and closes, then the
// second writes and closes. inotify sees open, (open), modify, close-write,
// modify, close-write: a concurrent_writers finding, certain.
//
//   bench_latency SOCKET DIR [RACES]
//   -> "latency_ms p50 X p90 Y p99 Z max W races N missed M"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/daemon_client.h"

namespace {

double NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

bool Mentions(const nlohmann::json& event, const std::string& rel) {
  if (!event.contains("finding")) return false;
  const nlohmann::json& f = event["finding"];
  if (!f.contains("paths")) return false;
  for (const auto& p : f["paths"]) {
    if (p.is_string() && p.get<std::string>() == rel) return true;
  }
  return false;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_latency SOCKET DIR [RACES]\n");
    return 2;
  }
  const std::string socket = argv[1];
  const std::string dir = argv[2];
  const int races = argc > 3 ? atoi(argv[3]) : 1000;
  modrace::DaemonClient client;
  std::string error;
  if (!client.Connect(socket, &error)) {
    fprintf(stderr, "bench_latency: %s\n", error.c_str());
    return 3;
  }
  modrace::Reply reply;
  if (!client.Call("status", nlohmann::json::object(), &reply, &error) || !reply.ok) {
    fprintf(stderr, "bench_latency: status failed: %s\n", error.c_str());
    return 3;
  }
  const std::string root = reply.result.value("tree", std::string());
  // Findings are reported with paths relative to the watched root.
  std::string prefix;
  if (dir.size() > root.size() && dir.compare(0, root.size(), root) == 0) {
    prefix = dir.substr(root.size() + 1) + "/";
  }
  const nlohmann::json since = {{"since", reply.result.value("revision", 0)}};
  if (!client.Call("subscribe", since, &reply, &error) || !reply.ok) {
    fprintf(stderr, "bench_latency: subscribe failed: %s %s\n", error.c_str(),
            reply.error_message.c_str());
    return 3;
  }
  const std::string tv = dir + "/.tmp_versions";
  mkdir(tv.c_str(), 0755);
  // Let the daemon watch the new directory before the first race.
  if (!client.Call("barrier", nlohmann::json::object(), &reply, &error) || !reply.ok) {
    fprintf(stderr, "bench_latency: barrier failed: %s\n", error.c_str());
    return 3;
  }
  std::vector<double> ms;
  int missed = 0;
  for (int i = 0; i < races; ++i) {
    const std::string name = "m" + std::to_string(i) + ".mod";
    const std::string path = tv + "/" + name;
    const std::string rel = prefix + ".tmp_versions/" + name;
    const std::string a = "a" + std::to_string(i) + ".ko\na" + std::to_string(i) + ".o\n\n";
    const std::string b = "b" + std::to_string(i) + ".ko\nb" + std::to_string(i) + ".o\n\n";
    const int fd1 = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int fd2 = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd1 < 0 || fd2 < 0) {
      perror("open");
      return 1;
    }
    if (write(fd1, a.data(), a.size()) < 0) return 1;
    close(fd1);
    if (write(fd2, b.data(), b.size()) < 0) return 1;
    close(fd2);
    const double t0 = NowMs();
    bool seen = false;
    while (!seen) {
      nlohmann::json event;
      const double left = 2000 - (NowMs() - t0);
      if (left <= 0 || !client.ReadEvent(&event, static_cast<int>(left) + 1, &error)) break;
      if (event.value("event", "") == "finding" && Mentions(event, rel)) seen = true;
    }
    if (seen) {
      ms.push_back(NowMs() - t0);
    } else {
      ++missed;
    }
  }
  printf("latency_ms p50 %.3f p90 %.3f p99 %.3f max %.3f races %d missed %d\n",
         Percentile(ms, 0.5), Percentile(ms, 0.9), Percentile(ms, 0.99),
         ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()), races, missed);
  return missed == 0 ? 0 : 1;
}
