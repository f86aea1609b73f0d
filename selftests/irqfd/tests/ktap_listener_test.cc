#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace {

struct Result {
  int status = -1;
  std::string out;
};

Result run(const std::string& cmd) {
  Result r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(KtapListener, PassFailSkipInKtap) {
  Result r = run(KTAP_DEMO_BIN);
  EXPECT_EQ(r.status, 1) << "a failure makes the exit status 1";
  const char* want =
      "KTAP version 1\n"
      "1..4\n"
      "ok 1 Demo.Passes\n";
  EXPECT_EQ(r.out.rfind(want, 0), 0u) << r.out;
  EXPECT_NE(r.out.find("two is not three"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("two is not three"), r.out.find("not ok 2 Demo.Fails\n"))
      << "diagnostics precede the result line";
  EXPECT_NE(r.out.find("ok 3 Demo.Skips # SKIP no irqchip here\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[ RUN"), std::string::npos) << "GoogleTest's own printer is replaced";
}

// kselftest's ksft_print_cnts() format, capital T.
TEST(KtapListener, TotalsLineAsKselftestPrintsIt) {
  Result r = run(KTAP_DEMO_BIN);
  EXPECT_NE(r.out.find("\n# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:2 error:0\n"),
            std::string::npos) << r.out;
}

TEST(KtapListener, SkipWithoutReasonHasNoTrailingBlank) {
  Result r = run(KTAP_DEMO_BIN);
  EXPECT_NE(r.out.find("ok 4 Demo.SkipsWithoutReason # SKIP\n"), std::string::npos) << r.out;
}

TEST(KtapListener, FilterChangesThePlan) {
  Result r = run(std::string(KTAP_DEMO_BIN) + " --gtest_filter=Demo.Passes");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "KTAP version 1\n1..1\nok 1 Demo.Passes\n"
                   "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
}

// Every repetition has its own result lines, so the plan counts them all.
TEST(KtapListener, RepeatMultipliesThePlan) {
  Result r = run(std::string(KTAP_DEMO_BIN) + " --gtest_filter=Demo.Passes --gtest_repeat=3");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "KTAP version 1\n1..3\nok 1 Demo.Passes\nok 2 Demo.Passes\n"
                   "ok 3 Demo.Passes\n"
                   "# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
}

TEST(KtapListener, AllSkippedIsKselftestSkip) {
  Result r = run(std::string(KTAP_DEMO_BIN) + " --gtest_filter=Demo.Skips");
  EXPECT_EQ(r.status, 4);
}

// Each test in its own process under --test-timeout (isolate.h): a hang and
// a crash fail their own tests by name, with the cause, and the rest run.
TEST(Isolate, HangAndCrashFailTheirTestAndTheRestRun) {
  Result r = run(std::string(ISOLATE_DEMO_BIN) + " --test-timeout=1");
  EXPECT_EQ(r.status, 1) << r.out;
  for (const char* want :
       {"1..6\n", "ok 1 Demo.Passes\n", "not ok 2 Demo.Fails\n",
        "ok 3 Demo.Skips # SKIP no irqchip here\n",
        "# timed out after 1 s (--test-timeout=1): the test's process was killed\n",
        "not ok 4 Demo.Hangs\n", "killed by signal 6", "not ok 5 Demo.Crashes\n",
        "ok 6 Demo.RunsAfterTheOthers\n",
        "# Totals: pass:2 fail:3 xfail:0 xpass:0 skip:1 error:0\n"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << " missing from:\n" << r.out;
}

// A failure in the child keeps its file and line and message.
TEST(Isolate, ChildFailureKeepsItsLocationAndMessage) {
  Result r = run(std::string(ISOLATE_DEMO_BIN) + " --gtest_filter=Demo.Fails");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("# " ), std::string::npos);
  EXPECT_NE(r.out.find("isolate_demo.cc:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# two is not three\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("two is not three"), r.out.rfind("two is not three"))
      << "printed once, by the parent: " << r.out;
}

TEST(Selftest, IsStaticAndListsItsTests) {
  Result file = run("file -L " SELFTEST_BIN);
  EXPECT_NE(file.out.find("statically linked"), std::string::npos) << file.out;
  Result r = run(SELFTEST_BIN " --gtest_list_tests");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("KvmSmoke"), std::string::npos) << r.out;
}

// As upstream's KVM selftests: no /dev/kvm is a skip, with the reason, and
// exit 4 when every test skipped. (make boot-test reads a skipped KvmSmoke
// as an infrastructure error: boot-verdict.)
TEST(Selftest, MissingDevKvmIsAKselftestSkip) {
  struct stat st {};
  if (stat("/dev/kvm", &st) == 0) GTEST_SKIP() << "this host has /dev/kvm";
  Result r = run(SELFTEST_BIN " --gtest_filter=KvmSmoke.*:IrqfdTest.AssignThenDeassign");
  EXPECT_EQ(r.status, 4) << r.out;
  EXPECT_NE(r.out.find("ok 1 KvmSmoke.OpenDevKvm # SKIP no /dev/kvm\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ok 4 IrqfdTest.AssignThenDeassign # SKIP no /dev/kvm\n"),
            std::string::npos) << r.out;
}

// The first line names the seed, so any run can be replayed.
TEST(Selftest, FirstLineNamesTheSeed) {
  Result drawn = run(SELFTEST_BIN " --gtest_filter=KvmSmoke.OpenDevKvm");
  EXPECT_EQ(drawn.out.rfind("# irqfd_selftest: --hammer-seed=", 0), 0u) << drawn.out;
  EXPECT_NE(drawn.out.find("(drawn from time and pid)"), std::string::npos) << drawn.out;
  EXPECT_NE(drawn.out.find(" --hammer-seconds=30 --test-timeout=60\n"), std::string::npos)
      << drawn.out;
  Result given = run(SELFTEST_BIN " --hammer-seed=42 --gtest_filter=KvmSmoke.OpenDevKvm");
  EXPECT_EQ(given.out.rfind("# irqfd_selftest: --hammer-seed=42 --hammer-seconds=30", 0), 0u)
      << given.out;
  Result other = run(SELFTEST_BIN " --gtest_filter=KvmSmoke.OpenDevKvm");
  EXPECT_NE(drawn.out.substr(0, drawn.out.find('\n')), other.out.substr(0, other.out.find('\n')))
      << "two runs drew the same seed";
}

}  // namespace
