#include "verdict.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

namespace rig {

int exit_code(Verdict v) {
  switch (v) {
    case Verdict::kPass: return 0;
    case Verdict::kTestFailure: return 1;
    case Verdict::kSplat: return 2;
    case Verdict::kTimeout: return 3;
    case Verdict::kInfraError: return 125;
  }
  return 125;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kTestFailure: return "test-failure";
    case Verdict::kSplat: return "splat";
    case Verdict::kTimeout: return "timeout";
    case Verdict::kInfraError: return "infra-error";
  }
  return "infra-error";
}

int Ktap::passed() const {
  int n = 0;
  for (const KtapResult& r : results) n += r.ok && !r.skipped;
  return n;
}
int Ktap::failed() const {
  int n = 0;
  for (const KtapResult& r : results) n += !r.ok;
  return n;
}
int Ktap::skipped() const {
  int n = 0;
  for (const KtapResult& r : results) n += r.skipped;
  return n;
}

namespace {

// Its own one-liner: the scanner's is in its internal header, which is
// for the scanner's unit tests, not for other folders.
bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

bool parse_result(std::string_view s, KtapResult* r) {
  bool ok = starts_with(s, "ok ");
  if (!ok && !starts_with(s, "not ok ")) return false;
  s.remove_prefix(ok ? 3 : 7);
  char* end = nullptr;
  std::string num(s.substr(0, s.find(' ')));
  long n = std::strtol(num.c_str(), &end, 10);
  if (num.empty() || *end) return false;
  r->number = static_cast<int>(n);
  r->ok = ok;
  std::string_view rest = s.substr(num.size());
  if (starts_with(rest, " - ")) rest.remove_prefix(3);
  else if (starts_with(rest, " ")) rest.remove_prefix(1);
  std::size_t hash = rest.find(" # ");
  std::string_view directive = hash == std::string_view::npos ? "" : rest.substr(hash + 3);
  r->name = std::string(hash == std::string_view::npos ? rest : rest.substr(0, hash));
  r->skipped = starts_with(directive, "SKIP");
  if (r->skipped && directive.size() > 5) r->skip_reason = std::string(directive.substr(5));
  return true;
}

}  // namespace

Ktap extract_ktap(std::string_view log) {
  Ktap k;
  bool inside = false;
  std::size_t pos = 0;
  while (pos < log.size()) {
    std::size_t nl = log.find('\n', pos);
    if (nl == std::string_view::npos) nl = log.size();
    std::string_view raw = log.substr(pos, nl - pos);
    pos = nl + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    // The selftest writes to the console itself; a kernel message may still
    // carry a printk prefix, which KTAP lines never do.
    std::string_view line = raw;
    if (starts_with(line, "KTAP version") || starts_with(line, "TAP version")) {
      inside = true;
      k.lines.assign(1, std::string(line));
      k.results.clear();
      k.planned = -1;
      continue;
    }
    if (!inside) continue;
    std::string_view t = line;
    std::size_t indent = 0;
    while (indent < t.size() && t[indent] == ' ') ++indent;
    t.remove_prefix(indent);
    bool ktap_line = starts_with(t, "ok ") || starts_with(t, "not ok ") ||
                     starts_with(t, "# ") || t == "#" || starts_with(t, "1..") ||
                     starts_with(t, "KTAP version");
    if (!ktap_line) continue;
    k.lines.emplace_back(line);
    if (indent > 0) continue;  // subtests belong to their parent's result
    if (starts_with(t, "1..")) {
      k.planned = std::atoi(std::string(t.substr(3)).c_str());
      continue;
    }
    KtapResult r;
    if (parse_result(t, &r)) k.results.push_back(std::move(r));
  }
  return k;
}

std::map<std::string, std::string> parse_env(std::string_view text) {
  std::map<std::string, std::string> m;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    m[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return m;
}

namespace {

std::string get(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

std::vector<splatscan::Report> with_live_splats(const std::map<std::string, std::string>& run,
                                                std::vector<splatscan::Report> splats) {
  std::string title = get(run, "first_splat_title");
  if (!splats.empty() || title.empty()) return splats;
  splatscan::Report r;
  r.title = title;
  r.kind = get(run, "first_splat_kind");
  r.count = 1;
  r.line = 0;  // not in serial.log: only the live scan saw it
  r.text = "(seen live by qemu-supervise; serial.log does not hold it: " +
           get(run, "log_error") + ")";
  splats.push_back(std::move(r));
  return splats;
}

Decision decide(const std::map<std::string, std::string>& run,
                const std::vector<splatscan::Report>& splats, const Ktap& ktap, Guest guest) {
  if (run.empty()) return {Verdict::kInfraError, "the run left no run.env: the supervisor did not finish"};
  if (get(run, "qemu_started") != "1")
    return {Verdict::kInfraError, "QEMU did not start: " + get(run, "qemu_error")};
  std::string stop = get(run, "stop_reason");
  if (stop == "interrupted") return {Verdict::kInfraError, "the run was interrupted"};
  std::string log_error = get(run, "log_error");
  std::string incomplete = log_error.empty() ? "" : "; serial.log is incomplete: " + log_error;
  // A splat outranks everything the guest did after it, and counts whether
  // it reached serial.log or only the supervisor's live scan.
  if (!splats.empty()) {
    std::string r = std::to_string(splats.size()) + " kernel report(s), first: " + splats[0].title;
    return {Verdict::kSplat, r + incomplete};
  }
  if (!get(run, "first_splat_title").empty())
    return {Verdict::kSplat, "the supervisor saw a kernel report live, first: " +
                                 get(run, "first_splat_title") + incomplete};
  // Without the whole log no pass can be proven: the part lost may hold a
  // failed test.
  if (!log_error.empty())
    return {Verdict::kInfraError, "serial.log could not be written (" + log_error +
                                      "): the run cannot be judged; free space in the results "
                                      "directory and rerun"};
  // Silence until the timeout is a hang, even with no output at all: QEMU
  // was running. Silence because QEMU exited at once is the rig's problem.
  std::string printed = get(run, "guest_bytes").empty() ? get(run, "log_bytes") : get(run, "guest_bytes");
  if (printed == "0" && (stop == "timeout" || stop == "quiet"))
    return {Verdict::kTimeout, "the guest printed nothing in " + get(run, "wall_s") +
                                   " s: it hung before its console came up"};
  if (printed == "0")
    return {Verdict::kInfraError, "QEMU printed nothing on the serial console (exit " +
                                      get(run, "qemu_exit") + "): " + get(run, "qemu_error")};
  if (stop == "timeout") return {Verdict::kTimeout, "no result before the timeout: the guest hung"};
  if (stop == "quiet") return {Verdict::kTimeout, "the guest went silent: it hung"};
  if (stop == "flood") return {Verdict::kTestFailure, "the guest flooded the serial console"};
  // The selftest skips without /dev/kvm (kselftest's convention), but the
  // rig exists to test KVM: a skipped smoke test means the guest could not.
  for (const KtapResult& r : ktap.results)
    if (r.skipped && starts_with(r.name, "KvmSmoke."))
      return {Verdict::kInfraError,
              "the guest cannot run KVM: " + r.name + " skipped" +
                  (r.skip_reason.empty() ? "" : " (" + r.skip_reason + ")") +
                  "; is nested virtualisation on (-cpu max, kvm_amd/kvm_intel built in)?"};
  if (get(run, "end_marker_seen") != "1") {
    if (get(run, "boot_marker_seen") != "1")
      return {Verdict::kTestFailure, "the kernel never reached /init"};
    return {Verdict::kTestFailure, guest == Guest::kCommand
                                       ? "the command ended without the end marker (/init died?)"
                                       : "the selftest ended without its end marker (it crashed?)"};
  }
  if (guest == Guest::kCommand) {
    if (get(run, "test_status") != "0")
      return {Verdict::kTestFailure, "the command exited with status " + get(run, "test_status")};
    return {Verdict::kPass, "the command exited with status 0, no kernel splat"};
  }
  if (get(run, "test_status") != "0")
    return {Verdict::kTestFailure, "the selftest exited with status " + get(run, "test_status") +
                                       " (" + std::to_string(ktap.failed()) + " failed)"};
  if (ktap.results.empty())
    return {Verdict::kTestFailure, "the selftest printed no KTAP results"};
  if (ktap.failed() > 0)
    return {Verdict::kTestFailure, std::to_string(ktap.failed()) + " KTAP test(s) failed"};
  if (ktap.planned >= 0 && ktap.planned != static_cast<int>(ktap.results.size()))
    return {Verdict::kTestFailure, "KTAP planned " + std::to_string(ktap.planned) +
                                       " tests but reported " +
                                       std::to_string(ktap.results.size())};
  return {Verdict::kPass, "all " + std::to_string(ktap.results.size()) +
                              " tests passed, no kernel splat"};
}

namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// "Linux version 6.12.117 (irqfd-rig@irqfd-rig) ..." -> "6.12.117".
std::string kernel_release(std::string_view log) {
  std::size_t at = log.find("Linux version ");
  if (at == std::string_view::npos) return {};
  std::string_view rest = log.substr(at + 14);
  return std::string(rest.substr(0, rest.find(' ')));
}

}  // namespace

std::string where_and_whom(const std::vector<splatscan::Report>& splats, const SymbolizedReports& sym) {
  if (splats.empty()) return "";
  auto it = sym.find(splats[0].line);
  if (it == sym.end() || it->second.at.empty()) return "";
  std::string s = " at " + it->second.at;
  if (!it->second.maintainers.empty()) {
    s += " (maintainers: ";
    for (std::size_t i = 0; i < it->second.maintainers.size(); ++i)
      s += (i ? ", " : "") + it->second.maintainers[i];
    s += ")";
  }
  return s;
}

std::string summary_json(const Decision& d, const std::map<std::string, std::string>& run,
                         const std::vector<splatscan::Report>& splats, const Ktap& ktap,
                         const Meta& meta, std::string_view serial_log, const SymbolizedReports& sym) {
  using splatscan::json_string;
  std::ostringstream j;
  j << "{\n  \"verdict\": " << json_string(verdict_name(d.verdict)) << ",\n"
    << "  \"exit_code\": " << exit_code(d.verdict) << ",\n"
    << "  \"reason\": " << json_string(d.reason) << ",\n"
    << "  \"kernel_release\": " << json_string(kernel_release(serial_log)) << ",\n";
  for (const auto& [k, v] : meta.strings) j << "  " << json_string(k) << ": " << json_string(v) << ",\n";
  for (const auto& [k, v] : meta.lists) {
    j << "  " << json_string(k) << ": [";
    for (std::size_t i = 0; i < v.size(); ++i) j << (i ? ", " : "") << json_string(v[i]);
    j << "],\n";
  }
  j << "  \"tests\": {\"planned\": " << ktap.planned << ", \"reported\": " << ktap.results.size()
    << ", \"passed\": " << ktap.passed() << ", \"failed\": " << ktap.failed()
    << ", \"skipped\": " << ktap.skipped() << ", \"results\": [";
  for (std::size_t i = 0; i < ktap.results.size(); ++i) {
    const KtapResult& r = ktap.results[i];
    j << (i ? "," : "") << "\n    {\"number\": " << r.number << ", \"name\": " << json_string(r.name)
      << ", \"result\": " << json_string(r.skipped ? "skip" : r.ok ? "pass" : "fail") << "}";
  }
  j << (ktap.results.empty() ? "]},\n" : "\n  ]},\n");
  j << "  \"splats\": [";
  for (std::size_t i = 0; i < splats.size(); ++i) {
    j << (i ? "," : "") << "\n    {\"title\": " << json_string(splats[i].title)
      << ", \"kind\": " << json_string(splats[i].kind) << ", \"count\": " << splats[i].count
      << ", \"line\": " << splats[i].line;
    if (auto it = sym.find(splats[i].line); it != sym.end()) {
      j << ", \"guilty\": " << (it->second.at.empty() ? std::string("null") : json_string(it->second.at))
        << ", \"maintainers\": [";
      for (std::size_t k = 0; k < it->second.maintainers.size(); ++k)
        j << (k ? ", " : "") << json_string(it->second.maintainers[k]);
      j << "]";
    }
    j << "}";
  }
  j << (splats.empty() ? "],\n" : "\n  ],\n");
  auto run_number = [&](const char* k) {
    std::string v = get(run, k);
    return v.empty() || v[0] == '-' ? std::string("null") : v;
  };
  j << "  \"stop_reason\": " << json_string(get(run, "stop_reason")) << ",\n"
    << "  \"qemu_exit\": " << run_number("qemu_exit") << ",\n"
    << "  \"boot_to_init_s\": " << run_number("boot_s") << ",\n"
    << "  \"first_splat_s\": " << run_number("first_splat_s") << ",\n"
    << "  \"first_test_failure_s\": " << run_number("first_failure_s") << ",\n"
    << "  \"durations_s\": {";
  bool first = true;
  for (const auto& [k, v] : meta.numbers) {
    j << (first ? "" : ", ") << json_string(k) << ": " << number(v);
    first = false;
  }
  j << (first ? "" : ", ") << "\"guest\": " << run_number("wall_s") << "}\n}\n";
  return j.str();
}

bool merge_recorded_meta(std::string_view summary_json_text, Meta* meta, std::string* error) {
  const nlohmann::json j = nlohmann::json::parse(summary_json_text, nullptr, false);
  if (!j.is_object()) {
    *error = "not a JSON object";
    return false;
  }
  // What the judgement itself computes, never carried over.
  static const char* const kComputed[] = {"verdict",    "exit_code",      "reason",        "kernel_release",
                                          "tests",      "splats",         "stop_reason",   "qemu_exit",
                                          "boot_to_init_s", "first_splat_s", "first_test_failure_s",
                                          "durations_s"};
  for (const auto& [k, v] : j.items()) {
    if (std::find(std::begin(kComputed), std::end(kComputed), k) != std::end(kComputed)) continue;
    if (v.is_string()) {
      meta->strings.emplace(k, v.get<std::string>());
    } else if (v.is_array() && !meta->lists.count(k)) {
      std::vector<std::string> items;
      for (const auto& x : v)
        if (x.is_string()) items.push_back(x.get<std::string>());
      meta->lists.emplace(k, std::move(items));
    }
  }
  if (j.contains("durations_s") && j["durations_s"].is_object())
    for (const auto& [k, v] : j["durations_s"].items())
      if (k != "guest" && v.is_number()) meta->numbers.emplace(k, v.get<double>());
  return true;
}

}  // namespace rig
