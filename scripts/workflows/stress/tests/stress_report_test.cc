#include <gtest/gtest.h>

#include "stress_report.h"

namespace rig::stress {
namespace {

using nlohmann::json;

TEST(Wilson, KnownIntervals) {
  // 3 of 10: 10.8% - 60.3% (the textbook value).
  Interval i = wilson(3, 10);
  EXPECT_NEAR(i.low, 0.108, 0.001);
  EXPECT_NEAR(i.high, 0.603, 0.001);
  // None and all of 10 are never a certainty either way.
  EXPECT_DOUBLE_EQ(wilson(0, 10).low, 0.0);
  EXPECT_NEAR(wilson(0, 10).high, 0.278, 0.001);
  EXPECT_NEAR(wilson(10, 10).low, 0.722, 0.001);
  EXPECT_DOUBLE_EQ(wilson(0, 0).high, 1.0);
}

BootRun run(int index, const std::string& seed, const std::string& verdict, double end_s,
        const std::string& splat = "", const std::string& failed = "") {
  BootRun r;
  r.index = index;
  r.seed = seed;
  r.dir = "results/r" + std::to_string(index);
  r.start_s = end_s - 60;
  r.end_s = end_s;
  r.summary = {{"verdict", verdict}, {"reason", verdict}, {"splats", json::array()},
               {"tests", {{"results", json::array()}}}, {"first_splat_s", 12.5}};
  if (!splat.empty()) {
    r.summary["splats"].push_back({{"title", splat}});
    r.summary["splats"].push_back({{"title", splat}});  // twice in one run: one run
  }
  if (!failed.empty()) r.summary["tests"]["results"].push_back({{"name", failed}, {"result", "fail"}});
  return r;
}

TEST(Report, CountsRunsFirstSeedAndRate) {
  std::vector<BootRun> runs = {run(1, "101", "pass", 70), run(2, "102", "splat", 90, "kernel BUG in x"),
                           run(3, "103", "splat", 80, "kernel BUG in x"),
                           run(4, "104", "test-failure", 100, "", "A.b"),
                           run(5, "105", "infra-error", 20)};
  json rep = report(runs, {{"variant", "series+race"}});
  EXPECT_EQ(rep["variant"], "series+race");
  EXPECT_EQ(rep["runs_started"], 5);
  EXPECT_EQ(rep["runs_judged"], 4) << "an infra-error says nothing about the kernel";
  EXPECT_EQ(rep["detection"]["caught"], 3);
  EXPECT_EQ(rep["detection"]["seeds"], json::array({"103", "102", "104"}));
  ASSERT_EQ(rep["splats"].size(), 1u);
  EXPECT_EQ(rep["splats"][0]["runs"], 2);
  EXPECT_EQ(rep["splats"][0]["first_run"], 3) << "the first to finish with it";
  EXPECT_EQ(rep["splats"][0]["first_seed"], "103");
  EXPECT_EQ(rep["splats"][0]["time_to_first_report_s"], 80);
  ASSERT_EQ(rep["failed_tests"].size(), 1u);
  EXPECT_EQ(rep["failed_tests"][0]["test"], "A.b");
  std::string t = table(rep);
  EXPECT_NE(t.find("detection: 3 of 4"), std::string::npos) << t;
  EXPECT_NE(t.find("seeds that caught it: 103 102 104"), std::string::npos) << t;
}

TEST(Report, MedianTimeToCatchFromInitToFirstSplatOrFailure) {
  BootRun a = run(1, "1", "splat", 60, "kernel BUG in x"), b = run(2, "2", "test-failure", 70, "", "A.b"),
          c = run(3, "3", "splat", 80, "kernel BUG in x"), p = run(4, "4", "pass", 90);
  a.summary["boot_to_init_s"] = 10.0;  // splat at 12.5: caught 2.5 s after init
  b.summary["boot_to_init_s"] = 10.0;
  b.summary["first_splat_s"] = nullptr;  // no splat: the failed test decides
  b.summary["first_test_failure_s"] = 40.0;
  c.summary["boot_to_init_s"] = 2.5;
  c.summary["first_test_failure_s"] = 30.0;  // the earlier of the two decides
  p.summary["boot_to_init_s"] = 10.0;
  json rep = report({a, b, c, p}, json::object());
  EXPECT_EQ(rep["detection"]["median_detect_s"], 10.0) << rep["detection"].dump();
  EXPECT_EQ(rep["runs"][1]["detect_s"], 30.0);
  EXPECT_FALSE(rep["runs"][3].contains("detect_s")) << "a pass caught nothing";
  EXPECT_NE(table(rep).find("median time to catch it: 10.0 s"), std::string::npos) << table(rep);
}

TEST(Report, NoTimesNoMedian) {
  BootRun r = run(1, "1", "splat", 60, "kernel BUG in x");  // no boot_to_init_s
  json rep = report({r}, json::object());
  EXPECT_EQ(rep["detection"]["median_detect_s"], -1);
  EXPECT_EQ(table(rep).find("median time to catch it"), std::string::npos);
}

TEST(Report, MissingSummaryIsNeverAPass) {
  BootRun r;
  r.index = 1;
  r.seed = "1";
  r.summary = nullptr;
  json rep = report({r}, json::object());
  EXPECT_EQ(rep["runs_judged"], 0);
  EXPECT_EQ(rep["verdicts"]["no summary"], 1);
}

}  // namespace
}  // namespace rig::stress
