// splatscan [--json] FILE...: report kernel splats found in console logs.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "splatscan/scanner.h"

namespace {

constexpr const char* kUsage =
    "usage: splatscan [--json] FILE...\n"
    "  Finds kernel reports (KASAN, lockdep, WARNING, BUG, hangs, ...) in console\n"
    "  logs. FILE '-' reads standard input.\n"
    "  Prints KIND<TAB>TITLE<TAB>FILE:LINE per distinct report, or with --json one\n"
    "  array of objects {file, line, kind, title, count, corrupted, text}.\n"
    "  At most 1000 distinct titles are kept per file; the reports beyond them are\n"
    "  counted in one last entry of kind SPLATSCAN-TRUNCATED (count: how many).\n"
    "  Exit status: 0 no report, 1 at least one report, 2 usage or I/O error.\n";

// Closes the FILE it owns, unless it is stdin.
struct InputFile {
  std::FILE* f = nullptr;
  bool owned = false;
  ~InputFile() {
    if (owned && f) std::fclose(f);
  }
};

// Scans one file; returns false (after printing why) on an I/O error.
bool scan_file(const std::string& name, std::vector<splatscan::FileReport>& out) {
  InputFile in;
  if (name == "-") {
    in.f = stdin;
  } else {
    in.f = std::fopen(name.c_str(), "rb");
    in.owned = true;
    if (!in.f) {
      std::fprintf(stderr, "splatscan: %s: %s\n", name.c_str(), std::strerror(errno));
      return false;
    }
  }
  splatscan::Scanner scanner;
  std::vector<char> buf(1 << 16);
  for (;;) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), in.f);
    if (n > 0) scanner.feed(std::string_view(buf.data(), n));
    if (n < buf.size()) break;
  }
  if (std::ferror(in.f)) {
    std::fprintf(stderr, "splatscan: %s: read error: %s\n", name.c_str(), std::strerror(errno));
    return false;
  }
  scanner.finish();
  for (const splatscan::Report& r : scanner.reports()) out.push_back({name, r});
  if (auto o = scanner.overflow_report()) out.push_back({name, std::move(*o)});
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") {
      json = true;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "splatscan: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::vector<splatscan::FileReport> reports;
  bool io_error = false;
  for (const std::string& f : files) io_error |= !scan_file(f, reports);
  if (json) {
    std::fputs(splatscan::to_json(reports).c_str(), stdout);
  } else {
    for (const auto& fr : reports) {
      std::printf("%s\t%s\t%s:%zu\n", fr.report.kind.c_str(), fr.report.title.c_str(), fr.file.c_str(),
                  fr.report.line);
    }
  }
  std::fflush(stdout);
  if (io_error) return 2;
  return reports.empty() ? 0 : 1;
}
