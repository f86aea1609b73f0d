// One golden file per log: testdata/corpus/<log>.golden holds what the
// scanner reports for that log of the corpus's tuning part, so that a change
// that alters any single log's reports fails that log's test (the corpus test
// only watches percentages). Only tuning-part logs have golden files: the
// validation part stays unread, its figures aggregate only.
//
// testdata/rig/ holds the same for real serial logs of the rig's own
// boots (the series and each splatting canary), listed in testdata/rig/LOGS.
//
// After a deliberate change, rewrite the golden files and review the diff:
//   SPLATSCAN_UPDATE_GOLDEN=1 build/bin/splatscan-tests --gtest_filter='Golden*'
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus.h"
#include "splatscan/scanner.h"

namespace splatscan {
namespace {

std::vector<std::string> tuning_logs() {
  std::vector<std::string> out;
  for (const std::string& n : testing::corpus_files())
    if (!testing::is_validation(n)) out.push_back(n);
  return out;
}

// The reports in the corpus header's words, one block per report.
std::string render(const std::vector<Report>& reports) {
  if (reports.empty()) return "NO REPORT\n";
  std::string out;
  for (const Report& r : reports) {
    if (!out.empty()) out += '\n';
    out += "TITLE: " + r.title + "\n";
    out += "TYPE: " + r.kind + "\n";
    out += "LINE: " + std::to_string(r.line) + "\n";
    if (r.count != 1) out += "COUNT: " + std::to_string(r.count) + "\n";
    if (r.corrupted) out += "CORRUPTED: Y\n";
  }
  return out;
}

std::string golden_path(const std::string& log) {
  return std::string(SPLATSCAN_TESTDATA) + "/corpus/" + log + ".golden";
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, ReportsMatchTheGoldenFile) {
  const std::string& log = GetParam();
  std::string got = render(scan_text(testing::load(log).log));
  const char* update = std::getenv("SPLATSCAN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden_path(log), std::ios::binary) << got;
    return;
  }
  std::ifstream in(golden_path(log), std::ios::binary);
  ASSERT_TRUE(in) << golden_path(log) << " is missing; SPLATSCAN_UPDATE_GOLDEN=1 writes it";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "log " << log << " of " << SPLATSCAN_CORPUS;
}

INSTANTIATE_TEST_SUITE_P(TuningPart, Golden, ::testing::ValuesIn(tuning_logs()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name = "log_";
                           for (char c : p.param)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

// The rig's own serial logs: testdata/rig/<name>.log, as a boot-test of the
// series or of a canary wrote it (serial.log), beside <name>.golden. They
// are what the scanner must get right first: the canaries' reports, and
// no report at all in a passing run's console.
std::string rig_dir() { return std::string(SPLATSCAN_TESTDATA) + "/rig/"; }

std::vector<std::string> rig_logs() {
  std::vector<std::string> out;
  std::ifstream list(rig_dir() + "LOGS");
  for (std::string name; std::getline(list, name);)
    if (!name.empty() && name[0] != '#') out.push_back(name);
  return out;
}

class RigGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(RigGolden, ReportsMatchTheGoldenFile) {
  const std::string base = rig_dir() + GetParam();
  std::ifstream log_in(base + ".log", std::ios::binary);
  ASSERT_TRUE(log_in) << base << ".log is missing (listed in " << rig_dir() << "LOGS)";
  std::stringstream log;
  log << log_in.rdbuf();
  std::string got = render(scan_text(log.str()));
  const char* update = std::getenv("SPLATSCAN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(base + ".golden", std::ios::binary) << got;
    return;
  }
  std::ifstream in(base + ".golden", std::ios::binary);
  ASSERT_TRUE(in) << base << ".golden is missing; SPLATSCAN_UPDATE_GOLDEN=1 writes it";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << base << ".log";
}

TEST(RigGoldenList, IsNotEmpty) {
  EXPECT_FALSE(rig_logs().empty()) << rig_dir() << "LOGS lists no log";
}

INSTANTIATE_TEST_SUITE_P(RigSerialLogs, RigGolden, ::testing::ValuesIn(rig_logs()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name;
                           for (char c : p.param)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace splatscan
