// The syzkaller corpus (../shared/corpus/syzkaller-linux-report, see its
// README) as the tests read it: file names, expected header, log, and the
// split into a tuning and a validation part.
#ifndef SPLATSCAN_TESTS_CORPUS_H
#define SPLATSCAN_TESTS_CORPUS_H

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace splatscan::testing {

struct Expected {
  std::string name;
  std::vector<std::string> titles;  // TITLE first, then ALT lines
  std::string type;
  bool corrupted = false;
  std::string log;
};

inline std::vector<std::string> corpus_files() {
  std::vector<std::string> names;
  DIR* d = opendir(SPLATSCAN_CORPUS);
  if (!d) return names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.empty() || n[0] == '.' || n == "README.md") continue;
    names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

inline Expected load(const std::string& name) {
  Expected e;
  e.name = name;
  std::ifstream in(std::string(SPLATSCAN_CORPUS) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  // syzkaller's report tests drop every carriage return before reading a file.
  all.erase(std::remove(all.begin(), all.end(), '\r'), all.end());
  std::size_t pos = 0;
  bool has_title = false;
  while (pos < all.size()) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) nl = all.size();
    std::string line = all.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) break;  // the header ends at the first blank line
    auto value = [&](const char* key) { return line.substr(std::strlen(key)); };
    if (line.rfind("TITLE: ", 0) == 0) {
      e.titles.insert(e.titles.begin(), value("TITLE: "));
      has_title = true;
    }
    else if (line.rfind("ALT: ", 0) == 0) e.titles.push_back(value("ALT: "));
    else if (line.rfind("TYPE: ", 0) == 0) e.type = value("TYPE: ");
    else if (line == "CORRUPTED: Y") e.corrupted = true;
  }
  if (!has_title) e.titles.clear();
  e.log = pos < all.size() ? all.substr(pos) : std::string();
  // As syzkaller's report tests read these files: a line "REPORT:" right
  // after an empty line of the log ends it (what follows is the report text
  // the parser should cut out, not console output).
  bool prev_empty = false;
  for (std::size_t at = 0; at < e.log.size();) {
    std::size_t nl = e.log.find('\n', at);
    if (nl == std::string::npos) nl = e.log.size();
    std::string_view line(e.log.data() + at, nl - at);
    if (prev_empty && line == "REPORT:") {
      e.log.resize(at);
      break;
    }
    prev_empty = line.empty();
    at = nl + 1;
  }
  return e;
}

// The corpus is split once, by a hash of the file name, into a part the rules
// were tuned on and a validation part (30%) that nobody reads while writing
// rules: its figures say how the rules carry over to logs not yet seen.
// FNV-1a (32 bit) of the basename, mod 100, below 30: validation.
inline bool is_validation(const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) {
    h ^= c;
    h *= 16777619u;
  }
  return h % 100 < 30;
}

}  // namespace splatscan::testing

#endif
