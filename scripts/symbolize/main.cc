// symbolize-splats: the frames of each kernel report as file:line, the guilty
// one marked, and the maintainers of its file.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "symbolize.h"

namespace {

const char kUsage[] =
    "usage: symbolize-splats --vmlinux FILE --tree DIR [REPORTS.json|-]\n"
    "  REPORTS.json is `splatscan --json LOG` output (default: standard input).\n"
    "  Prints a JSON array, one object per report: {line, title, frames: [{function,\n"
    "  offset, stack, reliable, file, line, inlined, guilty}], guilty: {function, file,\n"
    "  line} or null, maintainers: [...]}. Frames are resolved with `nm -S` and one\n"
    "  `addr2line -a -f -i` on FILE (a vmlinux with debug info gives file:line; without\n"
    "  it, only the functions); files are made relative to DIR, and DIR's\n"
    "  scripts/get_maintainer.pl -f names who maintains the guilty frame's file.\n"
    "  Exit status: 0 written, 2 usage or a tool failed (the message says which).\n";

// Single-quoted for /bin/sh.
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct PipeCloser {
  void operator()(FILE* f) const { if (f) pclose(f); }
};

// Runs a shell command and returns what it printed; false if it could not
// run or exited non-zero.
bool capture(const std::string& cmd, std::string* out) {
  std::unique_ptr<FILE, PipeCloser> p(popen(cmd.c_str(), "r"));
  if (!p) return false;
  char buf[65536];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p.get())) > 0;) out->append(buf, n);
  int status = pclose(p.release());
  return status == 0;
}

// A temporary file removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/symbolize.XXXXXX";
    int fd = mkstemp(path_.data());
    if (fd < 0) path_.clear();
    else close(fd);
  }
  ~TempFile() { if (!path_.empty()) unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

int main(int argc, char** argv) {
  namespace sym = rig::symbolize;
  using nlohmann::json;
  std::string vmlinux, tree, input = "-";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if ((a == "--vmlinux" || a == "--tree") && i + 1 < argc) {
      (a == "--vmlinux" ? vmlinux : tree) = argv[++i];
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "symbolize-splats: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      input = a;
    }
  }
  if (vmlinux.empty() || tree.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  json reports;
  try {
    if (input == "-") {
      reports = json::parse(std::cin);
    } else {
      std::ifstream in(input);
      if (!in) {
        std::fprintf(stderr, "symbolize-splats: cannot read %s\n", input.c_str());
        return 2;
      }
      reports = json::parse(in);
    }
  } catch (const json::exception& e) {
    std::fprintf(stderr, "symbolize-splats: %s is not splatscan's JSON: %s\n", input.c_str(), e.what());
    return 2;
  }
  if (!reports.is_array()) {
    std::fprintf(stderr, "symbolize-splats: %s: expected a JSON array of reports\n", input.c_str());
    return 2;
  }
  if (!exists(vmlinux)) {
    std::fprintf(stderr, "symbolize-splats: no vmlinux at %s\n", vmlinux.c_str());
    return 2;
  }

  // Every frame of every report, then their addresses in one go.
  std::vector<std::vector<sym::Frame>> frames;
  for (const json& r : reports)
    frames.push_back(sym::parse_frames(r.is_object() ? r.value("text", "") : ""));
  std::string nm_out;
  if (!capture("nm -S --defined-only " + quote(vmlinux) + " 2>/dev/null", &nm_out)) {
    std::fprintf(stderr, "symbolize-splats: nm -S %s failed\n", vmlinux.c_str());
    return 2;
  }
  sym::SymbolTable symbols = sym::parse_nm(nm_out);
  std::set<uint64_t> addresses;
  for (const auto& fs : frames)
    for (const auto& f : fs)
      if (f.module.empty())
        if (auto a = sym::frame_address(f, symbols)) addresses.insert(*a);
  std::map<uint64_t, std::vector<sym::Location>> where;
  if (!addresses.empty()) {
    TempFile list;
    std::ofstream out(list.path());
    for (uint64_t a : addresses) out << "0x" << std::hex << a << "\n";
    out.close();
    std::string a2l;
    if (list.path().empty() || !out ||
        !capture("addr2line -a -f -i -e " + quote(vmlinux) + " <" + quote(list.path()) + " 2>/dev/null", &a2l)) {
      std::fprintf(stderr, "symbolize-splats: addr2line on %s failed\n", vmlinux.c_str());
      return 2;
    }
    where = sym::parse_addr2line(a2l);
    for (auto& [a, chain] : where)
      for (sym::Location& l : chain) l.file = sym::tree_relative(l.file, tree, exists);
  }

  std::map<std::string, std::vector<std::string>> maintainers_of;  // one run per file
  json out = json::array();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    std::vector<sym::Resolved> resolved;
    for (const sym::Frame& f : frames[i]) {
      sym::Resolved r{&f, {}};
      if (f.module.empty())
        if (auto a = sym::frame_address(f, symbols))
          if (auto it = where.find(*a); it != where.end()) r.chain = it->second;
      resolved.push_back(std::move(r));
    }
    const json& r = reports[i];
    std::string title = r.is_object() ? r.value("title", "") : "";
    std::size_t line = r.is_object() ? r.value("line", std::size_t{0}) : 0;
    json j = sym::report_json(line, title, resolved, {});
    if (j["guilty"].is_object() && j["guilty"]["file"].is_string()) {
      std::string file = j["guilty"]["file"];
      if (!maintainers_of.count(file)) {
        std::string mo;
        if (exists(tree + "/" + file) && exists(tree + "/scripts/get_maintainer.pl") &&
            capture("cd " + quote(tree) + " && perl scripts/get_maintainer.pl --no-git --no-git-fallback "
                    "--no-rolestats -f " + quote(file) + " 2>/dev/null", &mo))
          maintainers_of[file] = sym::parse_maintainers(mo);
        else
          maintainers_of[file] = {};
      }
      j["maintainers"] = maintainers_of[file];
    }
    out.push_back(std::move(j));
  }
  std::cout << out.dump(2) << "\n";
  return std::cout.good() ? 0 : 2;
}
