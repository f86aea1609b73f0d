// boot-verdict --run DIR [--meta K=V] [--number K=SECONDS] [--list K=A,B,...]
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "verdict.h"

namespace {

constexpr const char* kUsage =
    "usage: boot-verdict --run DIR [--meta KEY=VALUE]... [--number KEY=SECONDS]...\n"
    "                    [--list KEY=A,B,...]... [--fail REASON] [--command]\n"
    "Reads DIR/serial.log and DIR/run.env (from qemu-supervise), writes DIR/splats.json,\n"
    "DIR/ktap.txt and DIR/summary.json, prints the verdict and exits with its code:\n"
    "  0 pass, 1 test-failure, 2 splat, 3 timeout, 125 infra-error\n"
    "(125 is what git bisect run reads as 'skip this commit').\n"
    "--fail REASON records a run that failed before the guest booted (infra-error).\n"
    "--command: the guest ran a user's command (make run), not the selftest: the run\n"
    "passes when it exited 0 and no splat was printed; KTAP is not expected.\n";

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Writes path whole or not at all; on failure nothing is left behind and
// *error says why.
bool write_atomic(const std::string& path, const std::string& content, std::string* error) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  bool ok = f && std::fwrite(content.data(), 1, content.size(), f) == content.size() &&
            std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  int e = errno;
  if (f && std::fclose(f) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) == 0) return true;
  if (ok) e = errno;
  std::remove(tmp.c_str());
  *error = "cannot write " + path + ": " + std::strerror(e);
  return false;
}

bool split_kv(const std::string& arg, std::string* k, std::string* v) {
  std::size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  *k = arg.substr(0, eq);
  *v = arg.substr(eq + 1);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, failure;
  rig::Meta meta;
  rig::Guest guest = rig::Guest::kSelftest;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--command") {
      guest = rig::Guest::kCommand;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "boot-verdict: %s needs a value\n%s", a.c_str(), kUsage);
      return 125;
    }
    std::string v = argv[++i], key, val;
    if (a == "--run") {
      dir = v;
    } else if (a == "--fail") {
      failure = v;
    } else if ((a == "--meta" || a == "--number" || a == "--list") && split_kv(v, &key, &val)) {
      if (a == "--meta") {
        meta.strings[key] = val;
      } else if (a == "--number") {
        char* end = nullptr;
        double d = std::strtod(val.c_str(), &end);
        if (end == val.c_str() || *end) {
          std::fprintf(stderr, "boot-verdict: --number %s: '%s' is not a number\n", key.c_str(),
                       val.c_str());
          return 125;
        }
        meta.numbers[key] = d;
      } else {
        std::vector<std::string>& list = meta.lists[key];
        std::stringstream ss(val);
        for (std::string item; std::getline(ss, item, ',');)
          if (!item.empty()) list.push_back(item);
      }
    } else {
      std::fprintf(stderr, "boot-verdict: bad argument '%s %s'\n%s", a.c_str(), v.c_str(), kUsage);
      return 125;
    }
  }
  if (dir.empty()) {
    std::fputs(kUsage, stderr);
    return 125;
  }
  std::string log, env;
  read_file(dir + "/serial.log", &log);
  read_file(dir + "/run.env", &env);
  auto run = rig::parse_env(env);
  std::vector<splatscan::Report> splats = rig::with_live_splats(run, splatscan::scan_text(log));
  rig::Ktap ktap = rig::extract_ktap(log);
  rig::Decision d = rig::decide(run, splats, ktap, guest);
  // The run never reached the guest (fetch, patch, config or build failed).
  if (!failure.empty()) d = {rig::Verdict::kInfraError, failure};

  std::vector<splatscan::FileReport> file_reports;
  for (const auto& r : splats) file_reports.push_back({dir + "/serial.log", r});
  std::string ktap_text;
  for (const auto& l : ktap.lines) ktap_text += l + "\n";
  // qemu-supervise kept this room on the results' disk for these files.
  std::remove((dir + "/.space-reserve").c_str());
  // summary.json is the record that must exist: the others are written
  // first, and when one cannot be, the summary says so (and a pass is no
  // longer proven by what is on disk).
  std::string write_errors, e;
  if (!write_atomic(dir + "/splats.json", splatscan::to_json(file_reports), &e)) write_errors += "; " + e;
  if (!write_atomic(dir + "/ktap.txt", ktap_text, &e)) write_errors += "; " + e;
  if (!write_errors.empty()) {
    if (d.verdict == rig::Verdict::kPass) d.verdict = rig::Verdict::kInfraError;
    d.reason += write_errors;
  }
  if (!write_atomic(dir + "/summary.json", rig::summary_json(d, run, splats, ktap, meta, log), &e)) {
    // Make room from the lesser files and try once more.
    std::remove((dir + "/splats.json").c_str());
    std::remove((dir + "/ktap.txt").c_str());
    if (d.verdict == rig::Verdict::kPass) d.verdict = rig::Verdict::kInfraError;
    d.reason += "; " + e + " (splats.json and ktap.txt removed to make room)";
    if (!write_atomic(dir + "/summary.json", rig::summary_json(d, run, splats, ktap, meta, log), &e)) {
      std::fprintf(stderr, "boot-verdict: %s; verdict %s: %s\n", e.c_str(),
                   rig::verdict_name(d.verdict), d.reason.c_str());
      // The exit code still tells the verdict; a pass cannot be claimed.
      return rig::exit_code(d.verdict == rig::Verdict::kPass ? rig::Verdict::kInfraError : d.verdict);
    }
  }
  for (const auto& r : splats)
    std::printf("splat: %s (x%zu, %s/serial.log:%zu)\n", r.title.c_str(), r.count, dir.c_str(),
                r.line);
  for (const auto& t : ktap.results)
    if (!t.ok) std::printf("failed: %s\n", t.name.c_str());
  std::printf("verdict: %s (exit %d): %s\n", rig::verdict_name(d.verdict), rig::exit_code(d.verdict),
              d.reason.c_str());
  std::printf("tests: %d passed, %d failed, %d skipped; results in %s\n", ktap.passed(),
              ktap.failed(), ktap.skipped(), dir.c_str());
  return rig::exit_code(d.verdict);
}
