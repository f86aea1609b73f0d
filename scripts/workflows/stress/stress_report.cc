#include "stress_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace rig::stress {

using nlohmann::json;

Interval wilson(int k, int n, double z) {
  if (n <= 0) return {0, 1};
  double p = static_cast<double>(k) / n, z2 = z * z;
  double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  double half = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {

std::string str(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A run that ran to a verdict about the kernel; infra-errors (and runs
// stopped by Ctrl-C) say nothing about it and are left out of the rate.
bool judged(const BootRun& r) {
  std::string v = r.summary.is_object() ? str(r.summary, "verdict") : "";
  return v == "pass" || v == "test-failure" || v == "splat" || v == "timeout";
}

double number(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_number() ? it->get<double>() : -1;
}

// Seconds from the guest's init to what decided the run (the first splat
// or the first failed test, whichever came first): how long the selftest
// ran before it caught the bug. -1 when the run caught nothing or a
// summary lacks the times (older runs).
double detect_s(const json& summary) {
  if (!summary.is_object()) return -1;
  double init = number(summary, "boot_to_init_s");
  double splat = number(summary, "first_splat_s"), fail = number(summary, "first_test_failure_s");
  double at = splat < 0 ? fail : fail < 0 ? splat : std::min(splat, fail);
  if (init < 0 || at < 0) return -1;
  return std::round((at - init) * 10) / 10;
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Finding {
  int runs = 0;
  const BootRun* first = nullptr;  // the earliest to finish with it
  std::vector<std::string> seeds;
};

json finding_json(const std::string& what, const char* key, const Finding& f) {
  json j = {{key, what},
            {"runs", f.runs},
            {"first_run", f.first->index},
            {"first_seed", f.first->seed},
            {"first_run_dir", f.first->dir},
            {"time_to_first_report_s", std::round(f.first->end_s * 10) / 10},
            {"seeds", f.seeds}};
  if (f.first->summary.contains("first_splat_s") && f.first->summary["first_splat_s"].is_number())
    j["first_splat_s_in_guest"] = f.first->summary["first_splat_s"];
  return j;
}

}  // namespace

json report(const std::vector<BootRun>& runs, const json& campaign) {
  std::map<std::string, int> verdicts;
  std::map<std::string, Finding> splats, failed_tests;
  std::vector<const BootRun*> by_end;
  for (const BootRun& r : runs) by_end.push_back(&r);
  std::stable_sort(by_end.begin(), by_end.end(),
                   [](const BootRun* a, const BootRun* b) { return a->end_s < b->end_s; });
  int judged_runs = 0, caught = 0;
  std::vector<std::string> catching_seeds;
  std::vector<double> detect_times;
  std::set<std::string> kernels;
  json run_list = json::array();
  for (const BootRun* r : by_end) {
    std::string v = r->summary.is_object() ? str(r->summary, "verdict") : "no summary";
    if (v.empty()) v = "no verdict";
    ++verdicts[v];
    if (r->summary.is_object() && !str(r->summary, "kernel_sha256").empty())
      kernels.insert(str(r->summary, "kernel_sha256"));
    run_list.push_back({{"run", r->index}, {"seed", r->seed}, {"dir", r->dir}, {"verdict", v},
                        {"exit_code", r->exit_code},
                        {"reason", r->summary.is_object() ? str(r->summary, "reason") : ""},
                        {"start_s", std::round(r->start_s * 10) / 10},
                        {"end_s", std::round(r->end_s * 10) / 10}});
    if (!judged(*r)) continue;
    ++judged_runs;
    if (v != "pass") {
      ++caught;
      catching_seeds.push_back(r->seed);
      double d = detect_s(r->summary);
      if (d >= 0) {
        detect_times.push_back(d);
        run_list.back()["detect_s"] = d;
      }
    }
    std::set<std::string> seen;  // one count per run, however many reports
    for (const auto& s : r->summary.value("splats", json::array())) {
      std::string t = str(s, "title");
      if (!seen.insert(t).second) continue;
      Finding& f = splats[t];
      if (!f.first) f.first = r;
      ++f.runs;
      f.seeds.push_back(r->seed);
    }
    for (const auto& t : r->summary.value("tests", json::object()).value("results", json::array())) {
      if (str(t, "result") != "fail") continue;
      Finding& f = failed_tests[str(t, "name")];
      if (!f.first) f.first = r;
      ++f.runs;
      f.seeds.push_back(r->seed);
    }
  }
  json out = campaign;
  out["runs_started"] = runs.size();
  out["runs_judged"] = judged_runs;
  out["verdicts"] = verdicts;
  Interval ci = wilson(caught, judged_runs);
  out["detection"] = {{"caught", caught},
                      {"of", judged_runs},
                      {"rate", judged_runs ? static_cast<double>(caught) / judged_runs : 0.0},
                      {"wilson95_low", std::round(ci.low * 1000) / 1000},
                      {"wilson95_high", std::round(ci.high * 1000) / 1000},
                      {"seeds", catching_seeds},
                      {"median_detect_s", median(detect_times)},
                      {"detect_s_from", "the guest's init to its first splat or failed test"}};
  out["distinct_kernels_booted"] = kernels.size();
  json sj = json::array(), tj = json::array();
  for (const auto& [title, f] : splats) sj.push_back(finding_json(title, "title", f));
  for (const auto& [name, f] : failed_tests) tj.push_back(finding_json(name, "test", f));
  out["splats"] = sj;
  out["failed_tests"] = tj;
  out["runs"] = run_list;
  return out;
}

std::string table(const json& rep) {
  std::ostringstream o;
  char buf[512];
  o << "run  seed                  verdict        time  caught at  reason\n";
  for (const auto& r : rep["runs"]) {
    std::string at = "-";
    if (r.contains("detect_s")) {
      std::snprintf(buf, sizeof buf, "%.1fs", r["detect_s"].get<double>());
      at = buf;
    }
    std::snprintf(buf, sizeof buf, "%3d  %-20s  %-13s %4.0fs  %9s  %s\n", r["run"].get<int>(),
                  r["seed"].get<std::string>().c_str(), r["verdict"].get<std::string>().c_str(),
                  r["end_s"].get<double>() - r["start_s"].get<double>(), at.c_str(),
                  r["reason"].get<std::string>().substr(0, 70).c_str());
    o << buf;
  }
  auto findings = [&](const char* key, const char* label, const char* heading) {
    if (rep[key].empty()) return;
    o << "\n" << heading << "\n";
    for (const auto& f : rep[key]) {
      std::snprintf(buf, sizeof buf, "  %-60s %2d run(s); first: run %d, seed %s, after %.0f s\n",
                    f[label].get<std::string>().c_str(), f["runs"].get<int>(),
                    f["first_run"].get<int>(), f["first_seed"].get<std::string>().c_str(),
                    f["time_to_first_report_s"].get<double>());
      o << buf;
    }
  };
  findings("splats", "title", "splat titles:");
  findings("failed_tests", "test", "failed tests:");
  const json& d = rep["detection"];
  std::snprintf(buf, sizeof buf,
                "\ndetection: %d of %d judged run(s) = %.0f%% (Wilson 95%%: %.0f%%-%.0f%%)\n",
                d["caught"].get<int>(), d["of"].get<int>(), 100 * d["rate"].get<double>(),
                100 * d["wilson95_low"].get<double>(), 100 * d["wilson95_high"].get<double>());
  o << buf;
  if (d["median_detect_s"].get<double>() >= 0) {
    std::snprintf(buf, sizeof buf,
                  "median time to catch it: %.1f s of selftest (from the guest's init to the "
                  "first splat or failed test)\n",
                  d["median_detect_s"].get<double>());
    o << buf;
  }
  std::string seeds;
  for (const auto& s : d["seeds"]) seeds += (seeds.empty() ? "" : " ") + s.get<std::string>();
  if (!seeds.empty()) o << "seeds that caught it: " << seeds << "\n";
  return o.str();
}

}  // namespace rig::stress
