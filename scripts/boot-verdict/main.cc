// boot-verdict --run DIR [--meta K=V] [--number K=SECONDS] [--list K=A,B,...]
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "verdict.h"

namespace {

constexpr const char* kUsage =
    "usage: boot-verdict --run DIR [--meta KEY=VALUE]... [--number KEY=SECONDS]...\n"
    "                    [--list KEY=A,B,...]... [--fail REASON] [--command] [--again]\n"
    "Reads DIR/serial.log and DIR/run.env (from qemu-supervise), writes DIR/splats.json,\n"
    "DIR/ktap.txt and DIR/summary.json, prints the verdict and exits with its code:\n"
    "  0 pass, 1 test-failure, 2 splat, 3 timeout, 125 infra-error\n"
    "(125 is what git bisect run reads as 'skip this commit').\n"
    "--fail REASON records a run that failed before the guest booted (infra-error).\n"
    "--command: the guest ran a user's command (make run), not the selftest: the run\n"
    "passes when it exited 0 and no splat was printed; KTAP is not expected.\n"
    "--frames FILE: symbolize-splats' output for this log: each report in splats.json gets\n"
    "its frames (file:line), guilty frame and maintainers; summary.json and the reason\n"
    "say where the first report points and whom to tell. An unreadable FILE is ignored\n"
    "(said on stderr): the verdict never depends on it.\n"
    "--again: DIR was judged before (make boot RUN=DIR booted it once more): keep what its\n"
    "summary.json recorded (variant, patches, hashes, durations; --command when its mode was\n"
    "command) for every key not given here, and judge the log that is there now.\n";

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

// frames.json (symbolize-splats) by report line; nothing when it cannot be
// read (the verdict does not depend on it).
nlohmann::json read_frames(const std::string& path) {
  nlohmann::json by_line = nlohmann::json::object();
  if (path.empty()) return by_line;
  std::string text;
  if (!read_file(path, &text)) {
    std::fprintf(stderr, "boot-verdict: --frames %s: cannot read it; splats are not symbolized\n", path.c_str());
    return by_line;
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) {
    std::fprintf(stderr, "boot-verdict: --frames %s: not a JSON array; splats are not symbolized\n", path.c_str());
    return by_line;
  }
  for (const auto& r : j)
    if (r.is_object() && r.contains("line") && r["line"].is_number_unsigned())
      by_line[std::to_string(r["line"].get<std::size_t>())] = r;
  return by_line;
}

rig::SymbolizedReports symbolized(const nlohmann::json& by_line) {
  rig::SymbolizedReports s;
  for (const auto& [line, r] : by_line.items()) {
    rig::Symbolized x;
    const auto& g = r.contains("guilty") ? r["guilty"] : nlohmann::json();
    // A file without a line is what addr2line makes of a kernel without
    // debug info (a bare "eventfd.c"): not a place to send anyone.
    if (g.is_object() && g.value("file", nlohmann::json()).is_string() &&
        g.value("line", nlohmann::json()).is_number())
      x.at = g["file"].get<std::string>() + ":" + std::to_string(g["line"].get<long>());
    if (r.contains("maintainers") && r["maintainers"].is_array())
      for (const auto& m : r["maintainers"])
        if (m.is_string()) x.maintainers.push_back(m.get<std::string>());
    s[std::stoul(line)] = std::move(x);
  }
  return s;
}

// splats.json with each report's frames, guilty frame and maintainers.
std::string with_frames(const std::string& splats_json, const nlohmann::json& by_line) {
  if (by_line.empty()) return splats_json;
  nlohmann::json j = nlohmann::json::parse(splats_json, nullptr, false);
  if (!j.is_array()) return splats_json;
  for (auto& r : j) {
    if (!r.is_object() || !r.contains("line") || !r["line"].is_number_unsigned()) continue;
    std::string key = std::to_string(r["line"].get<std::size_t>());
    if (!by_line.contains(key)) continue;
    for (const char* k : {"frames", "guilty", "maintainers"})
      if (by_line[key].contains(k)) r[k] = by_line[key][k];
  }
  return j.dump(2) + "\n";
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
  std::string dir, failure, frames_file;
  rig::Meta meta;
  rig::Guest guest = rig::Guest::kSelftest;
  bool again = false;
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
    if (a == "--again") {
      again = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "boot-verdict: %s needs a value\n%s", a.c_str(), kUsage);
      return 125;
    }
    std::string v = argv[++i], key, val;
    if (a == "--frames") {
      frames_file = v;
    } else if (a == "--run") {
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
  if (again) {
    std::string recorded, e;
    if (!read_file(dir + "/summary.json", &recorded)) {
      std::fprintf(stderr, "boot-verdict: --again: %s/summary.json: %s (was the run ever judged?)\n",
                   dir.c_str(), std::strerror(errno));
      return 125;
    }
    if (!rig::merge_recorded_meta(recorded, &meta, &e)) {
      std::fprintf(stderr, "boot-verdict: --again: %s/summary.json: %s\n", dir.c_str(), e.c_str());
      return 125;
    }
    if (auto m = meta.strings.find("mode"); m != meta.strings.end() && m->second == "command")
      guest = rig::Guest::kCommand;
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
  const nlohmann::json frames = read_frames(frames_file);
  const rig::SymbolizedReports sym = symbolized(frames);
  if (d.verdict == rig::Verdict::kSplat) d.reason += rig::where_and_whom(splats, sym);

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
  if (!write_atomic(dir + "/splats.json", with_frames(splatscan::to_json(file_reports), frames), &e))
    write_errors += "; " + e;
  if (!write_atomic(dir + "/ktap.txt", ktap_text, &e)) write_errors += "; " + e;
  if (!write_errors.empty()) {
    if (d.verdict == rig::Verdict::kPass) d.verdict = rig::Verdict::kInfraError;
    d.reason += write_errors;
  }
  if (!write_atomic(dir + "/summary.json", rig::summary_json(d, run, splats, ktap, meta, log, sym), &e)) {
    // Make room from the lesser files and try once more.
    std::remove((dir + "/splats.json").c_str());
    std::remove((dir + "/ktap.txt").c_str());
    if (d.verdict == rig::Verdict::kPass) d.verdict = rig::Verdict::kInfraError;
    d.reason += "; " + e + " (splats.json and ktap.txt removed to make room)";
    if (!write_atomic(dir + "/summary.json", rig::summary_json(d, run, splats, ktap, meta, log, sym), &e)) {
      std::fprintf(stderr, "boot-verdict: %s; verdict %s: %s\n", e.c_str(),
                   rig::verdict_name(d.verdict), d.reason.c_str());
      // The exit code still tells the verdict; a pass cannot be claimed.
      return rig::exit_code(d.verdict == rig::Verdict::kPass ? rig::Verdict::kInfraError : d.verdict);
    }
  }
  for (const auto& r : splats) {
    auto it = sym.find(r.line);
    std::printf("splat: %s (x%zu, %s/serial.log:%zu)%s\n", r.title.c_str(), r.count, dir.c_str(), r.line,
                it != sym.end() && !it->second.at.empty() ? (" at " + it->second.at).c_str() : "");
  }
  for (const auto& t : ktap.results)
    if (!t.ok) std::printf("failed: %s\n", t.name.c_str());
  std::printf("verdict: %s (exit %d): %s\n", rig::verdict_name(d.verdict), rig::exit_code(d.verdict),
              d.reason.c_str());
  std::printf("tests: %d passed, %d failed, %d skipped; results in %s\n", ktap.passed(),
              ktap.failed(), ktap.skipped(), dir.c_str());
  return rig::exit_code(d.verdict);
}
