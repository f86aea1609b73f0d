#include <gtest/gtest.h>

#include <set>

#include "kcidb.h"

namespace rig::kcidb {
namespace {

using nlohmann::json;

json summary(const std::string& verdict) {
  return json::parse(R"J({
    "verdict": ")J" + verdict + R"J(", "exit_code": 2, "reason": "1 kernel report(s)",
    "kernel_release": "6.12.117", "variant": "series+race", "config_hash": "0123456789abcdef",
    "kernel_tag": "v6.12.117-deb-pristine", "kernel_head": "c7415205b633",
    "test_args": "--hammer-seed=7",
    "patches": ["0001-a.patch", "0002-b.patch"], "patch_ids": ["aa", "bb"],
    "tests": {"planned": 3, "reported": 3, "passed": 1, "failed": 1, "skipped": 1, "results": [
      {"number": 1, "name": "IrqfdTest.Assign", "result": "pass"},
      {"number": 2, "name": "Hammer.Close/Races 2", "result": "fail"},
      {"number": 3, "name": "KvmSmoke.Open", "result": "skip"}]},
    "splats": [{"title": "kernel BUG in irqfd_deactivate", "kind": "BUG", "count": 2, "line": 40}],
    "stop_reason": "splat", "qemu_exit": 0, "boot_to_init_s": 3.9, "first_splat_s": 30.1,
    "durations_s": {"build": 12.5, "boot": 60, "guest": 41.2}})J");
}

Options options() {
  Options o;
  o.run_name = "20261201-023433-series+race";
  o.start_time = start_time_from_run_name(o.run_name);
  return o;
}

const json* find_test(const json& sub, const std::string& path) {
  for (const auto& t : sub["tests"])
    if (t["path"] == path) return &t;
  return nullptr;
}

TEST(Kcidb, PathNodesAndOrigins) {
  EXPECT_EQ(path_node("KASAN-USE-AFTER-FREE-READ"), "KASAN-USE-AFTER-FREE-READ");
  EXPECT_EQ(path_node("a b/c.d"), "a_b_c_d");
  EXPECT_EQ(path_node(""), "_");
  EXPECT_TRUE(valid_origin("irqfd_rig"));
  EXPECT_FALSE(valid_origin("irqfd-rig"));
  EXPECT_FALSE(valid_origin(""));
}

TEST(Kcidb, StartTimeFromTheRunStamp) {
  EXPECT_EQ(start_time_from_run_name("20261201-023433-series.2"), "2026-12-01T02:34:33+00:00");
  EXPECT_EQ(start_time_from_run_name("stress-1"), "");
}

TEST(Kcidb, SplatIsAFailingTestWithItsTitleAndExcerpt) {
  json splats = json::parse(R"([{"title": "kernel BUG in irqfd_deactivate",
                                 "text": "kernel BUG at virt/kvm/eventfd.c:131!\n"}])");
  json sub = submission(summary("splat"), splats, options());
  const json* t = find_test(sub, "kernel_splat.BUG");
  ASSERT_NE(t, nullptr) << sub.dump(2);
  EXPECT_EQ((*t)["status"], "FAIL");
  EXPECT_EQ((*t)["comment"], "kernel BUG in irqfd_deactivate");
  EXPECT_EQ((*t)["log_excerpt"], "kernel BUG at virt/kvm/eventfd.c:131!\n");
}

TEST(Kcidb, KtapResultsKeepSkipApartFromPass) {
  json sub = submission(summary("splat"), nullptr, options());
  ASSERT_NE(find_test(sub, "irqfd_selftest.IrqfdTest.Assign"), nullptr);
  EXPECT_EQ((*find_test(sub, "irqfd_selftest.IrqfdTest.Assign"))["status"], "PASS");
  EXPECT_EQ((*find_test(sub, "irqfd_selftest.KvmSmoke.Open"))["status"], "SKIP");
  ASSERT_NE(find_test(sub, "irqfd_selftest.Hammer.Close_Races_2"), nullptr) << sub.dump(2);
  EXPECT_EQ((*find_test(sub, "irqfd_selftest.Hammer.Close_Races_2"))["status"], "FAIL");
  EXPECT_EQ((*find_test(sub, "boot"))["status"], "PASS");
  EXPECT_EQ((*find_test(sub, "irqfd_selftest"))["status"], "FAIL");
}

TEST(Kcidb, IdsCarryTheOriginAndAreUnique) {
  Options o = options();
  o.origin = "my_lab";
  json sub = submission(summary("splat"), nullptr, o);
  std::set<std::string> ids;
  for (const auto& t : sub["tests"]) {
    std::string id = t["id"];
    EXPECT_EQ(id.rfind("my_lab:", 0), 0u) << id;
    EXPECT_EQ(t["origin"], "my_lab");
    EXPECT_EQ(t["build_id"], sub["builds"][0]["id"]);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(sub["builds"][0]["checkout_id"], sub["checkouts"][0]["id"]);
  EXPECT_EQ(sub["version"]["major"], kSchemaMajor);
}

// Two runs of one build (make stress) are one checkout and one build, and
// different test runs.
TEST(Kcidb, RunsOfOneBuildShareCheckoutAndBuild) {
  Options a = options(), b = options();
  b.run_name = "20261201-023434-series+race";
  json x = submission(summary("pass"), nullptr, a), y = submission(summary("pass"), nullptr, b);
  EXPECT_EQ(x["checkouts"][0]["id"], y["checkouts"][0]["id"]);
  EXPECT_EQ(x["builds"][0]["id"], y["builds"][0]["id"]);
  EXPECT_NE(x["tests"][0]["id"], y["tests"][0]["id"]);
  json other = summary("pass");
  other["patch_ids"] = json::array({"aa"});
  EXPECT_NE(submission(other, nullptr, a)["checkouts"][0]["id"], x["checkouts"][0]["id"]);
}

TEST(Kcidb, NoBuildMeansNoTests) {
  json s = summary("infra-error");
  s["reason"] = "the kernel build for series failed (see above)";
  s["durations_s"] = json::object({{"fetch", 1.0}});
  json sub = submission(s, nullptr, options());
  EXPECT_EQ(sub["builds"][0]["status"], "FAIL");
  EXPECT_TRUE(sub["tests"].empty());
}

TEST(Kcidb, ExcerptIsCappedAt16KiB) {
  json splats = json::array({{{"title", "kernel BUG in irqfd_deactivate"},
                              {"text", std::string(40000, 'x')}}});
  json sub = submission(summary("splat"), splats, options());
  EXPECT_EQ((*find_test(sub, "kernel_splat.BUG"))["log_excerpt"].get<std::string>().size(), 16384u);
}

}  // namespace
}  // namespace rig::kcidb
