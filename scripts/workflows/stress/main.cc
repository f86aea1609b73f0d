// stress-report --runs FILE --out FILE [--meta KEY=VALUE]...
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "stress_report.h"

namespace {

constexpr const char* kUsage =
    "usage: stress-report --runs RUNS.tsv --out stress.json [--meta KEY=VALUE]...\n"
    "RUNS.tsv (from stress.sh): one line per boot-test: index, seed, run directory,\n"
    "exit code, start and end in seconds since the campaign began, tab-separated.\n"
    "Reads each run's summary.json, writes stress.json and prints the table.\n"
    "Exit: 0 written, 2 usage or I/O error.\n";

}  // namespace

int main(int argc, char** argv) {
  std::string runs_file, out;
  nlohmann::json campaign = nlohmann::json::object();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    std::string v = argv[++i];
    if (a == "--runs") runs_file = v;
    else if (a == "--out") out = v;
    else if (a == "--meta" && v.find('=') != std::string::npos && v.find('=') > 0)
      campaign[v.substr(0, v.find('='))] = v.substr(v.find('=') + 1);
    else {
      std::fprintf(stderr, "stress-report: bad argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (runs_file.empty() || out.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::ifstream in(runs_file);
  if (!in) {
    std::fprintf(stderr, "stress-report: cannot read %s\n", runs_file.c_str());
    return 2;
  }
  std::vector<rig::stress::BootRun> runs;
  for (std::string line; std::getline(in, line);) {
    std::stringstream ss(line);
    std::string index, seed, dir, rc, start, end;
    if (!std::getline(ss, index, '\t') || !std::getline(ss, seed, '\t') ||
        !std::getline(ss, dir, '\t') || !std::getline(ss, rc, '\t') ||
        !std::getline(ss, start, '\t') || !std::getline(ss, end, '\t'))
      continue;
    rig::stress::BootRun r;
    r.index = std::atoi(index.c_str());
    r.seed = seed;
    r.dir = dir;
    r.exit_code = std::atoi(rc.c_str());
    r.start_s = std::atof(start.c_str());
    r.end_s = std::atof(end.c_str());
    std::ifstream s(dir + "/summary.json");
    if (s) {
      try {
        r.summary = nlohmann::json::parse(s);
      } catch (const nlohmann::json::exception&) {
        r.summary = nullptr;  // counted as "no summary", never as a pass
      }
    }
    runs.push_back(std::move(r));
  }
  nlohmann::json rep = rig::stress::report(runs, campaign);
  std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << rep.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    f.close();
    if (!f || std::rename(tmp.c_str(), out.c_str()) != 0) {
      std::remove(tmp.c_str());
      std::fprintf(stderr, "stress-report: cannot write %s\n", out.c_str());
      return 2;
    }
  }
  std::fputs(rig::stress::table(rep).c_str(), stdout);
  return 0;
}
