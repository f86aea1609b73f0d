// Measures the scanner against real console logs whose reports syzkaller's
// parser titled (../shared/corpus/syzkaller-linux-report, see its README).
#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus.h"
#include "splatscan/scanner.h"

namespace {

using splatscan::testing::corpus_files;
using splatscan::testing::Expected;
using splatscan::testing::is_validation;
using splatscan::testing::load;

double percent(int hit, int total) { return total ? 100.0 * hit / total : 100.0; }

struct Tally {
  int logs = 0, presence_hit = 0;
  int title_hit = 0, title_total = 0;
  int kind_hit = 0, kind_total = 0;
  double presence() const { return percent(presence_hit, logs); }
  double titles() const { return percent(title_hit, title_total); }
  double kinds() const { return percent(kind_hit, kind_total); }
  void print(const char* part) const {
    std::printf("corpus %-10s %3d logs; presence accuracy %.1f%% (%d/%d); title agreement "
                "%.1f%% (%d/%d); kind agreement %.1f%% (%d/%d)\n",
                part, logs, presence(), presence_hit, logs, titles(), title_hit, title_total,
                kinds(), kind_hit, kind_total);
  }
};

// Scores one log into t; writes its mismatches to misses when given (only
// the tuning part's are written, so that validation logs stay unread).
void score(const Expected& e, Tally& t, std::ostream* misses) {
  std::ostringstream sink;
  std::ostream& out = misses ? *misses : sink;
  const std::string& name = e.name;
  ++t.logs;
  std::vector<splatscan::Report> reports = splatscan::scan_text(e.log);
  bool expect_report = !e.titles.empty();
  if (expect_report == !reports.empty()) ++t.presence_hit;
  else
    out << name << "\tpresence\twant " << (expect_report ? e.titles[0] : "none")
        << "\tgot " << (reports.empty() ? "none" : reports[0].title) << "\n";
  if (!expect_report || e.corrupted || reports.empty()) {
    if (expect_report && !e.corrupted) ++t.title_total;  // a miss counts against titles too
    return;
  }
  ++t.title_total;
  const std::string& got = reports[0].title;
  if (std::find(e.titles.begin(), e.titles.end(), got) != e.titles.end()) ++t.title_hit;
  else out << name << "\ttitle\twant " << e.titles[0] << "\tgot " << got << "\n";
  if (!e.type.empty()) {
    ++t.kind_total;
    if (reports[0].kind == e.type) ++t.kind_hit;
    else out << name << "\tkind\twant " << e.type << "\tgot " << reports[0].kind << "\n";
  }
}

void add(Tally& to, const Tally& from) {
  to.logs += from.logs;
  to.presence_hit += from.presence_hit;
  to.title_hit += from.title_hit;
  to.title_total += from.title_total;
  to.kind_hit += from.kind_hit;
  to.kind_total += from.kind_total;
}

TEST(Corpus, SplitIsStable) {
  // Pinned so that the split cannot drift silently with a refactor.
  EXPECT_FALSE(is_validation("0"));
  int validation = 0;
  std::vector<std::string> names = corpus_files();
  for (const std::string& n : names) validation += is_validation(n);
  if (!names.empty()) {
    EXPECT_GE(100.0 * validation / names.size(), 30.0);
  }
}

TEST(Corpus, AgreesWithSyzkallerTitles) {
  std::vector<std::string> names = corpus_files();
  ASSERT_GT(names.size(), 500u) << "corpus not found at " << SPLATSCAN_CORPUS;

  Tally tune, validation, whole;
  std::ofstream misses("corpus-mismatches.txt");
  for (const std::string& name : names) {
    Expected e = load(name);
    if (is_validation(name)) score(e, validation, nullptr);
    else score(e, tune, &misses);
  }
  add(whole, tune);
  add(whole, validation);
  tune.print("tune:");
  validation.print("validation:");
  whole.print("whole:");
  std::printf("corpus: tuning-part mismatches listed in corpus-mismatches.txt (test working "
              "directory); the validation part's are not listed on purpose\n");
  // Floors: raise them as the scanner improves, never lower them. Before the
  // split the rules had been tuned on the whole corpus: 98.9 / 87.5 / 97.7 on
  // the validation part, 99.5 / 92.1 / 99.3 on the whole. Since the split
  // only the tuning part's mismatches were read. With syzkaller's skip words,
  // hang buckets, stall anchors, int3, reboot and one-line WARNING rules:
  // 99.4 / 91.9 / 97.7 on the validation part, 99.7 / 97.4 / 99.3 whole.
  // Report classes as table rows, each with syzkaller's per-format skip
  // list: the same figures (no tuning report changed; the validation figure
  // was looked at twice for it), so the floors stay where they were.
  // Bare "BUG:"/"WARNING:"/"INFO:" lines, lib/ and dispatch files passed
  // over by file, syzkaller's syscall prefix stripping, its bad-page skip
  // words: tuning 100.0 / 99.7 / 100.0, validation unchanged at
  // 99.4 / 91.9 / 97.7 (looked at three times for them), whole
  // 99.8 / 97.4 / 99.3: the whole-corpus presence floor goes up.
  // Symbolised and decoded reports, console capture forms, arm64's abort
  // decode: tuning 100.0 / 100.0 / 100.0, validation unchanged, whole
  // 99.8 / 97.6 / 99.3: the whole-corpus title floor goes up.
  // Stalls and stack overflows read as syzkaller reads them: validation
  // titles 91.9 -> 94.1 (read as this aggregate only), whole 97.6 -> 98.2:
  // both title floors go up.
  // Classes read from the call trace alone in syzkaller's steps:
  // validation titles 94.1 -> 94.9 (the aggregate only), whole 98.2 ->
  // 98.5: both title floors go up.
  // Trusty panics as a class of their own (from a sweep of syzkaller's
  // formats, not from these logs): validation titles 94.9 -> 96.3 and kinds
  // 97.7 -> 100.0 (the aggregate only), whole 98.5 -> 98.9 and 99.3 ->
  // 100.0: the title and kind floors go up.
  EXPECT_GE(validation.presence(), 99.3);
  EXPECT_GE(validation.titles(), 96.2);
  EXPECT_GE(validation.kinds(), 99.9);
  EXPECT_GE(whole.presence(), 99.7);
  EXPECT_GE(whole.titles(), 98.8);
  EXPECT_GE(whole.kinds(), 99.9);
}

}  // namespace
