// SPDX-License-Identifier: GPL-2.0-only
#include "client/input_file.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <fstream>

#include "client/format/format_testing.h"
#include "proto/bytes_json.h"

namespace modrace {

namespace {

// A file holding `text`, removed at the end.
struct TempFile {
  explicit TempFile(const std::string& text) {
    char tmpl[] = "/tmp/modrace-input-XXXXXX";
    const int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    close(fd);
    path = tmpl;
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { remove(path.c_str()); }
  std::string path;
};

std::string LoadError(const std::string& text) {
  TempFile f(text);
  Report r;
  std::string error;
  CHECK_FALSE(LoadReportFile(f.path, &r, &error));
  CHECK(error.find("json.exception") == std::string::npos);
  CHECK(error.find(f.path) != std::string::npos);
  return error;
}

const char kRecording[] =
    "{\"seq\": 1, \"time_ns\": 1, \"kind\": \"create\", \"path\": \"a\", \"is_dir\": true}\n"
    "{\"seq\": 2, \"time_ns\": 2, \"kind\": \"create\", \"path\": \"a/x.mod\"}\n";

}  // namespace

TEST_CASE("ClassifyInput tells reports, recordings and other files apart") {
  CHECK(ClassifyInput("") == InputKind::kEmpty);
  CHECK(ClassifyInput(" \n") == InputKind::kEmpty);
  CHECK(ClassifyInput(DumpLine(nlohmann::json(CleanReport()))) == InputKind::kReport);
  CHECK(ClassifyInput(kRecording) == InputKind::kRecording);
  CHECK(ClassifyInput("{\"seq\": 1, \"kind\": \"open\", \"path\": \"a\"}") ==
        InputKind::kRecording);
  CHECK(ClassifyInput("{\"findings\": []}") == InputKind::kOtherJson);
  CHECK(ClassifyInput("{\"schema\": \"other/1\"}") == InputKind::kOtherJson);
  CHECK(ClassifyInput("{not json") == InputKind::kNotJson);
}

TEST_CASE("LoadReportFile says what the file is and what was expected") {
  const std::string no_schema = LoadError("{\"findings\": []}");
  CHECK(no_schema.find("has no \"schema\"") != std::string::npos);
  CHECK(no_schema.find("expected a modrace report (modrace.report/1") != std::string::npos);
  const std::string recording = LoadError(kRecording);
  CHECK(recording.find("is a recording of events") != std::string::npos);
  CHECK(recording.find("modrace replay") != std::string::npos);
  CHECK(LoadError("{not json").find("is not JSON") != std::string::npos);
  CHECK(LoadError("").find("is empty") != std::string::npos);
  CHECK(LoadError("{\"schema\": \"something.else/9\"}").find("its schema is \"something.else/9\"") !=
        std::string::npos);
  // The right schema, a field of the wrong type: the library's words without its tag.
  const std::string bad = LoadError("{\"schema\": \"modrace.report/1\", \"tree\": 5}");
  CHECK(bad.find("cannot read") != std::string::npos);

  Report r;
  std::string error;
  CHECK_FALSE(LoadReportFile("/nonexistent/report.json", &r, &error));
  CHECK(error == "cannot read /nonexistent/report.json: No such file or directory");
  TempFile good(DumpLine(nlohmann::json(CleanReport())));
  CHECK(LoadReportFile(good.path, &r, &error));
}

TEST_CASE("ReadInputFile refuses directories, FIFOs, devices and files over the limit") {
  std::string text, error;
  CHECK_FALSE(ReadInputFile("/tmp", &text, &error));
  CHECK(error == "cannot read /tmp: it is a directory");
  CHECK_FALSE(ReadInputFile("/dev/zero", &text, &error));
  CHECK(error.find("/dev/zero is a character device, not a regular file") != std::string::npos);
  // A FIFO nobody writes is refused up front, not waited on.
  char dir[] = "/tmp/modrace-fifo-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string fifo = std::string(dir) + "/fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(ReadInputFile(fifo, &text, &error));
  CHECK(error.find("is a FIFO, not a regular file") != std::string::npos);
  remove(fifo.c_str());
  rmdir(dir);

  TempFile big(std::string(100, 'x'));
  CHECK_FALSE(ReadInputFile(big.path, &text, &error, 64));
  CHECK(error.find("larger than the 64-byte limit") != std::string::npos);
  CHECK(ReadInputFile(big.path, &text, &error, 100));
  CHECK(text.size() == 100);
  CHECK(kInputFileLimit >= (size_t{1} << 30));
}

TEST_CASE("PlainJsonError drops the library's tag") {
  CHECK(PlainJsonError("[json.exception.out_of_range.403] key 'schema' not found") ==
        "key 'schema' not found");
  CHECK(PlainJsonError("line 1: [json.exception.parse_error.101] parse error") ==
        "line 1: parse error");
  CHECK(PlainJsonError("no tag here") == "no tag here");
}

}  // namespace modrace
