#include <gtest/gtest.h>

#include "verdict.h"

namespace rig {
namespace {

const char* kGoodLog =
    "[    0.000000][    T0] Linux version 6.12.117 (irqfd-rig@irqfd-rig) #1 SMP\n"
    "[    3.900000][    T1] Run /init as init process\n"
    "KTAP version 1\n"
    "1..3\n"
    "ok 1 kvm_open\n"
    "[    4.100000][   T61] random: crng init done\n"
    "    # subtest diagnostics\n"
    "    ok 1 nested\n"
    "ok 2 create_vm_irqchip\n"
    "ok 3 irqfd_bind # SKIP no irqchip\n"
    "# totals: pass:2 fail:0 skip:1\n"
    "irqfd-rig: end status=0\n";

std::map<std::string, std::string> run_env(const std::string& extra = "") {
  return parse_env(
      "qemu_started=1\nqemu_exit=0\nstop_reason=guest-exit\nboot_marker_seen=1\nboot_s=4.2\n"
      "end_marker_seen=1\ntest_status=0\nlog_bytes=900\nwall_s=6.1\n" + extra);
}

TEST(Ktap, ExtractsTopLevelResultsThroughKernelNoise) {
  Ktap k = extract_ktap(kGoodLog);
  EXPECT_EQ(k.planned, 3);
  ASSERT_EQ(k.results.size(), 3u);
  EXPECT_EQ(k.results[1].name, "create_vm_irqchip");
  EXPECT_TRUE(k.results[2].skipped);
  EXPECT_EQ(k.results[2].name, "irqfd_bind");
  EXPECT_EQ(k.passed(), 2);
  EXPECT_EQ(k.skipped(), 1);
  EXPECT_EQ(k.failed(), 0);
  for (const auto& l : k.lines) EXPECT_EQ(l.find("crng"), std::string::npos) << l;
}

TEST(Decide, Pass) {
  Decision d = decide(run_env(), {}, extract_ktap(kGoodLog));
  EXPECT_EQ(d.verdict, Verdict::kPass) << d.reason;
  EXPECT_EQ(exit_code(d.verdict), 0);
}

TEST(Decide, FailedTest) {
  std::string log = "KTAP version 1\n1..2\nok 1 a\nnot ok 2 two_vms_one_eventfd\n";
  Decision d = decide(run_env("test_status=1\n"), {}, extract_ktap(log));
  EXPECT_EQ(d.verdict, Verdict::kTestFailure);
  EXPECT_EQ(exit_code(d.verdict), 1);
}

TEST(Decide, SplatOutranksAPassingTest) {
  splatscan::Report r;
  r.title = "possible deadlock in irqfd_wakeup";
  Decision d = decide(run_env(), {r}, extract_ktap(kGoodLog));
  EXPECT_EQ(d.verdict, Verdict::kSplat);
  EXPECT_EQ(exit_code(d.verdict), 2);
  EXPECT_NE(d.reason.find("possible deadlock in irqfd_wakeup"), std::string::npos);
}

TEST(Decide, TimeoutAndSilence) {
  EXPECT_EQ(decide(run_env("stop_reason=timeout\nend_marker_seen=0\n"), {}, {}).verdict,
            Verdict::kTimeout);
  EXPECT_EQ(decide(run_env("stop_reason=quiet\nend_marker_seen=0\n"), {}, {}).verdict,
            Verdict::kTimeout);
  EXPECT_EQ(exit_code(Verdict::kTimeout), 3);
}

TEST(Decide, NeverPassWithoutEvidence) {
  // Exited without the end marker: the selftest crashed or never ran.
  EXPECT_EQ(decide(run_env("end_marker_seen=0\n"), {}, extract_ktap(kGoodLog)).verdict,
            Verdict::kTestFailure);
  // Status 0 but no KTAP at all.
  EXPECT_EQ(decide(run_env(), {}, Ktap{}).verdict, Verdict::kTestFailure);
  // Fewer results than planned.
  EXPECT_EQ(decide(run_env(), {}, extract_ktap("KTAP version 1\n1..4\nok 1 a\n")).verdict,
            Verdict::kTestFailure);
  EXPECT_EQ(decide(run_env("stop_reason=flood\n"), {}, extract_ktap(kGoodLog)).verdict,
            Verdict::kTestFailure);
}

TEST(Decide, InfrastructureErrors) {
  EXPECT_EQ(decide({}, {}, {}).verdict, Verdict::kInfraError);
  Decision d = decide(parse_env("qemu_started=0\nqemu_error=cannot run qemu: No such file\n"), {}, {});
  EXPECT_EQ(d.verdict, Verdict::kInfraError);
  EXPECT_NE(d.reason.find("No such file"), std::string::npos);
  EXPECT_EQ(exit_code(d.verdict), 125);
  EXPECT_EQ(decide(run_env("log_bytes=0\nqemu_exit=1\nend_marker_seen=0\n"), {}, {}).verdict,
            Verdict::kInfraError);
  EXPECT_EQ(decide(run_env("stop_reason=interrupted\n"), {}, {}).verdict, Verdict::kInfraError);
}

// The disk filled under serial.log: the report after the cut is only in
// what the supervisor saw live, and it still decides the run.
TEST(Decide, LiveSplatCountsWhenTheLogLostIt) {
  auto run = run_env(
      "log_error=No space left on device after 262144 bytes of serial.log\n"
      "first_splat_title=WARNING in kvm_irqfd_assign\nfirst_splat_kind=WARNING\nsplat_count=1\n");
  std::vector<splatscan::Report> splats = with_live_splats(run, {});
  ASSERT_EQ(splats.size(), 1u);
  EXPECT_EQ(splats[0].title, "WARNING in kvm_irqfd_assign");
  EXPECT_EQ(splats[0].line, 0u);
  Decision d = decide(run, splats, extract_ktap(kGoodLog));
  EXPECT_EQ(d.verdict, Verdict::kSplat) << d.reason;
  EXPECT_NE(d.reason.find("serial.log is incomplete: No space left"), std::string::npos) << d.reason;
  // decide() alone, without the folded list, reaches the same verdict.
  EXPECT_EQ(decide(run, {}, extract_ktap(kGoodLog)).verdict, Verdict::kSplat);
}

TEST(Decide, UnwritableLogIsNeverAPass) {
  Decision d = decide(run_env("log_error=No space left on device after 0 bytes of serial.log\n"),
                      {}, extract_ktap(kGoodLog));
  EXPECT_EQ(d.verdict, Verdict::kInfraError);
  EXPECT_NE(d.reason.find("serial.log could not be written (No space left"), std::string::npos)
      << d.reason;
}

// make run: the command's exit status decides, KTAP is not looked for; a
// splat still outranks it.
TEST(Decide, CommandIsJudgedByItsStatus) {
  EXPECT_EQ(decide(run_env(), {}, Ktap{}, Guest::kCommand).verdict, Verdict::kPass);
  Decision d = decide(run_env("test_status=7\n"), {}, Ktap{}, Guest::kCommand);
  EXPECT_EQ(d.verdict, Verdict::kTestFailure);
  EXPECT_EQ(d.reason, "the command exited with status 7");
  splatscan::Report r;
  r.title = "WARNING in kvm_irqfd_assign";
  EXPECT_EQ(decide(run_env("test_status=7\n"), {r}, Ktap{}, Guest::kCommand).verdict, Verdict::kSplat);
}

// A guest without /dev/kvm skips every test (exit 4): the run tested
// nothing, which is the rig's problem, named.
TEST(Decide, SkippedKvmSmokeIsAnInfraErrorNamingTheCause) {
  std::string log =
      "KTAP version 1\n1..2\nok 1 KvmSmoke.OpenDevKvm # SKIP no /dev/kvm\n"
      "ok 2 IrqfdTest.AssignThenDeassign # SKIP no /dev/kvm\n"
      "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:2 error:0\n";
  Ktap k = extract_ktap(log);
  ASSERT_EQ(k.results.size(), 2u);
  EXPECT_EQ(k.results[0].skip_reason, "no /dev/kvm");
  Decision d = decide(run_env("test_status=4\n"), {}, k);
  EXPECT_EQ(d.verdict, Verdict::kInfraError) << d.reason;
  EXPECT_NE(d.reason.find("KvmSmoke.OpenDevKvm skipped (no /dev/kvm)"), std::string::npos)
      << d.reason;
  // Other skips are the tests' own business.
  Ktap other = extract_ktap("KTAP version 1\n1..1\nok 1 IrqfdTest.X # SKIP not here\n");
  EXPECT_NE(decide(run_env(), {}, other).verdict, Verdict::kInfraError);
}

TEST(Decide, SilentGuestUntilTheTimeoutIsAHang) {
  Decision d = decide(run_env("log_bytes=0\nstop_reason=timeout\nend_marker_seen=0\nwall_s=15\n"), {}, {});
  EXPECT_EQ(d.verdict, Verdict::kTimeout);
  EXPECT_NE(d.reason.find("printed nothing in 15 s"), std::string::npos) << d.reason;
  EXPECT_EQ(decide(run_env("log_bytes=0\nstop_reason=quiet\nend_marker_seen=0\n"), {}, {}).verdict,
            Verdict::kTimeout);
}

TEST(Summary, CarriesVerdictMetaTestsAndSplats) {
  Meta meta;
  meta.strings["variant"] = "series";
  meta.strings["config_hash"] = "abc123";
  meta.lists["patches"] = {"0001-sched-wait.patch", "0002-kvm.patch"};
  meta.numbers["build"] = 25.5;
  splatscan::Report r;
  r.title = "KASAN: slab-use-after-free Read in irqfd_shutdown";
  r.kind = "KASAN-USE-AFTER-FREE-READ";
  Ktap k = extract_ktap(kGoodLog);
  std::string j = summary_json(decide(run_env(), {r}, k), run_env(), {r}, k, meta, kGoodLog);
  for (const char* want :
       {"\"verdict\": \"splat\"", "\"exit_code\": 2", "\"kernel_release\": \"6.12.117\"",
        "\"variant\": \"series\"", "\"config_hash\": \"abc123\"",
        "\"patches\": [\"0001-sched-wait.patch\", \"0002-kvm.patch\"]", "\"passed\": 2",
        "\"skipped\": 1", "\"name\": \"irqfd_bind\", \"result\": \"skip\"",
        "\"title\": \"KASAN: slab-use-after-free Read in irqfd_shutdown\"",
        "\"boot_to_init_s\": 4.2", "\"build\": 25.5", "\"guest\": 6.1"})
    EXPECT_NE(j.find(want), std::string::npos) << want << "\n" << j;
}

TEST(Summary, SaysWhereTheFirstReportPointsAndWhomToTell) {
  splatscan::Report r;
  r.title = "kernel BUG in irqfd_deactivate";
  r.kind = "BUG";
  r.line = 181;
  SymbolizedReports sym;
  EXPECT_EQ(where_and_whom({r}, sym), "") << "nothing symbolized: nothing added";
  sym[181] = {"virt/kvm/eventfd.c:238", {"Paolo Bonzini <pbonzini@redhat.com>", "kvm@vger.kernel.org"}};
  EXPECT_EQ(where_and_whom({r}, sym),
            " at virt/kvm/eventfd.c:238 (maintainers: Paolo Bonzini <pbonzini@redhat.com>, kvm@vger.kernel.org)");
  Ktap k = extract_ktap(kGoodLog);
  std::string j = summary_json(decide(run_env(), {r}, k), run_env(), {r}, k, Meta{}, kGoodLog, sym);
  EXPECT_NE(j.find("\"guilty\": \"virt/kvm/eventfd.c:238\", \"maintainers\": [\"Paolo Bonzini <pbonzini@redhat.com>\""),
            std::string::npos) << j;
  sym[181].at.clear();
  EXPECT_EQ(where_and_whom({r}, sym), "") << "no file: no place to name";
}

TEST(Again, KeepsWhatTheFirstJudgementWasToldUnlessGivenAnew) {
  Meta first;
  first.strings = {{"variant", "series"}, {"mode", "selftest"}, {"config_hash", "abc123"}};
  first.lists = {{"patches", {"0001-a.patch", "0002-b.patch"}}};
  first.numbers = {{"build", 25.5}, {"boot", 37.3}};
  splatscan::Report r;
  r.title = "KASAN: slab-use-after-free Read in irqfd_shutdown";
  r.kind = "KASAN";
  r.line = 181;
  Ktap k = extract_ktap(kGoodLog);
  const std::string recorded = summary_json(decide(run_env(), {r}, k), run_env(), {r}, k, first, kGoodLog, {});

  Meta again;
  again.numbers["symbolize"] = 1.5;
  again.strings["config_hash"] = "def456";
  std::string error;
  ASSERT_TRUE(merge_recorded_meta(recorded, &again, &error)) << error;
  EXPECT_EQ(again.strings["variant"], "series");
  EXPECT_EQ(again.strings["config_hash"], "def456") << "a value given anew wins over the recorded one";
  EXPECT_EQ(again.lists["patches"], (std::vector<std::string>{"0001-a.patch", "0002-b.patch"}));
  EXPECT_EQ(again.numbers["build"], 25.5);
  EXPECT_EQ(again.numbers["symbolize"], 1.5);
  EXPECT_EQ(again.numbers.count("guest"), 0u) << "the guest's time is the new boot's, from run.env";
  for (const char* computed : {"verdict", "reason", "kernel_release", "stop_reason"})
    EXPECT_EQ(again.strings.count(computed), 0u) << computed << " is judged again, not carried over";
  EXPECT_EQ(again.lists.count("tests"), 0u);
  EXPECT_EQ(again.lists.count("splats"), 0u);
}

TEST(Again, RefusesWhatIsNotASummary) {
  Meta m;
  std::string error;
  EXPECT_FALSE(merge_recorded_meta("[1, 2]", &m, &error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(merge_recorded_meta("{\"verdict\": ", &m, &error));
}

}  // namespace
}  // namespace rig
