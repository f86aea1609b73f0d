// kcidb-export --run DIR [--origin NAME] [--out FILE] [--log-url URL] [--start-time T]
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "kcidb.h"

namespace {

constexpr const char* kUsage =
    "usage: kcidb-export --run DIR [--origin NAME] [--out FILE] [--log-url URL]\n"
    "                    [--start-time RFC3339]\n"
    "Writes the boot-test run in DIR (summary.json, splats.json) as a KCIDB submission\n"
    "(schema v5.3): the checkout, the build, the boot, the selftest and each KTAP test,\n"
    "and each kernel splat as a failing test with its title and log excerpt.\n"
    "  --origin NAME      KCIDB origin, [a-z0-9_]+ (default irqfd_rig; a lab uses its own)\n"
    "  --out FILE         default DIR/kcidb.json; '-' for standard output\n"
    "  --log-url URL      where serial.log will be published (tests' log_url)\n"
    "  --start-time T     default: the run directory's stamp (UTC)\n"
    "Exit: 0 written, 2 usage or I/O error, or DIR holds no summary.json.\n";

bool read_json(const std::string& path, nlohmann::json* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  try {
    *out = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    *error = path + " is not JSON: " + e.what();
    return false;
  }
  return true;
}

std::string basename_of(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::size_t slash = dir.rfind('/');
  return slash == std::string::npos ? dir : dir.substr(slash + 1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, out;
  rig::kcidb::Options opt;
  bool start_time_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "kcidb-export: %s needs a value\n%s", a.c_str(), kUsage);
      return 2;
    }
    std::string v = argv[++i];
    if (a == "--run") dir = v;
    else if (a == "--origin") opt.origin = v;
    else if (a == "--out") out = v;
    else if (a == "--log-url") opt.log_url = v;
    else if (a == "--start-time") opt.start_time = v, start_time_given = true;
    else {
      std::fprintf(stderr, "kcidb-export: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (dir.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!rig::kcidb::valid_origin(opt.origin)) {
    std::fprintf(stderr, "kcidb-export: origin '%s' is not [a-z0-9_]+ as KCIDB requires\n",
                 opt.origin.c_str());
    return 2;
  }
  opt.run_name = basename_of(dir);
  if (!start_time_given) opt.start_time = rig::kcidb::start_time_from_run_name(opt.run_name);

  nlohmann::json summary, splats;
  std::string error;
  if (!read_json(dir + "/summary.json", &summary, &error)) {
    std::fprintf(stderr, "kcidb-export: %s (not a finished boot-test run?)\n", error.c_str());
    return 2;
  }
  // splats.json only adds the reports' text; a run without it still exports.
  if (!read_json(dir + "/splats.json", &splats, &error)) splats = nullptr;

  std::string text;
  try {
    // Console logs may hold invalid UTF-8: replace it rather than fail.
    text = rig::kcidb::submission(summary, splats, opt)
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "kcidb-export: %s/summary.json has an unexpected shape: %s\n",
                 dir.c_str(), e.what());
    return 2;
  }
  if (out == "-") {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  if (out.empty()) out = dir + "/kcidb.json";
  std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      std::remove(tmp.c_str());
      std::fprintf(stderr, "kcidb-export: cannot write %s\n", out.c_str());
      return 2;
    }
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    std::remove(tmp.c_str());
    std::fprintf(stderr, "kcidb-export: cannot write %s\n", out.c_str());
    return 2;
  }
  std::printf("kcidb-export: %s\n", out.c_str());
  return 0;
}
