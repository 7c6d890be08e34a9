// SPDX-License-Identifier: GPL-2.0-only
// Replays one fuzzer's seed corpus (fuzz/corpus/NAME/, NAME from the
// MODRACE_FUZZ_NAME define) through its LLVMFuzzerTestOneInput, so every
// test run checks the corpus and past crash reproducers without clang or
// libFuzzer. A fuzzer reports a broken property by aborting, which fails
// the test target.

#include <dirent.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define MODRACE_STR2(x) #x
#define MODRACE_STR(x) MODRACE_STR2(x)

namespace {

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') files.push_back(dir + "/" + e->d_name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("seed corpus of fuzz/" MODRACE_STR(MODRACE_FUZZ_NAME) "_fuzzer.cc replays cleanly") {
  const std::string dir = "fuzz/corpus/" MODRACE_STR(MODRACE_FUZZ_NAME);
  const std::vector<std::string> files = CorpusFiles(dir);
  REQUIRE_MESSAGE(!files.empty(), "no corpus in " << dir);
  for (const std::string& file : files) {
    CAPTURE(file);
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    CHECK(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) ==
          0);
  }
  MESSAGE(files.size() << " inputs from " << dir);
}
