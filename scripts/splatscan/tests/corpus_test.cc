// Measures the scanner against real console logs whose reports syzkaller's
// parser titled (../shared/corpus/syzkaller-linux-report, see its README).
#include <dirent.h>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "splatscan/scanner.h"

namespace {

struct Expected {
  std::string name;
  std::vector<std::string> titles;  // TITLE first, then ALT lines
  std::string type;
  bool corrupted = false;
  std::string log;
};

std::vector<std::string> corpus_files() {
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

Expected load(const std::string& name) {
  Expected e;
  e.name = name;
  std::ifstream in(std::string(SPLATSCAN_CORPUS) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
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
  return e;
}

double percent(int hit, int total) { return total ? 100.0 * hit / total : 100.0; }

TEST(Corpus, AgreesWithSyzkallerTitles) {
  std::vector<std::string> names = corpus_files();
  ASSERT_GT(names.size(), 500u) << "corpus not found at " << SPLATSCAN_CORPUS;

  int presence_hit = 0, title_hit = 0, title_total = 0, kind_hit = 0, kind_total = 0;
  std::ofstream misses("corpus-mismatches.txt");
  for (const std::string& name : names) {
    Expected e = load(name);
    std::vector<splatscan::Report> reports = splatscan::scan_text(e.log);
    bool expect_report = !e.titles.empty();
    if (expect_report == !reports.empty()) ++presence_hit;
    else
      misses << name << "\tpresence\twant " << (expect_report ? e.titles[0] : "none")
             << "\tgot " << (reports.empty() ? "none" : reports[0].title) << "\n";
    if (!expect_report || e.corrupted || reports.empty()) {
      if (expect_report && !e.corrupted) ++title_total;  // a miss counts against titles too
      continue;
    }
    ++title_total;
    const std::string& got = reports[0].title;
    if (std::find(e.titles.begin(), e.titles.end(), got) != e.titles.end()) ++title_hit;
    else misses << name << "\ttitle\twant " << e.titles[0] << "\tgot " << got << "\n";
    if (!e.type.empty()) {
      ++kind_total;
      if (reports[0].kind == e.type) ++kind_hit;
      else misses << name << "\tkind\twant " << e.type << "\tgot " << reports[0].kind << "\n";
    }
  }
  double presence = percent(presence_hit, static_cast<int>(names.size()));
  double titles = percent(title_hit, title_total);
  double kinds = percent(kind_hit, kind_total);
  std::printf("corpus: %zu logs; presence accuracy %.1f%% (%d/%zu); title agreement %.1f%% "
              "(%d/%d); kind agreement %.1f%% (%d/%d)\n",
              names.size(), presence, presence_hit, names.size(), titles, title_hit,
              title_total, kinds, kind_hit, kind_total);
  std::printf("corpus: mismatches listed in corpus-mismatches.txt (test working directory)\n");
  // Floors: raise them as the scanner improves, never lower them.
  EXPECT_GE(presence, 99.3);
  EXPECT_GE(titles, 91.5);
  EXPECT_GE(kinds, 99.0);
}

}  // namespace
