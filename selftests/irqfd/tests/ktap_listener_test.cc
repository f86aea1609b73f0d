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
      "1..3\n"
      "ok 1 Demo.Passes\n";
  EXPECT_EQ(r.out.rfind(want, 0), 0u) << r.out;
  EXPECT_NE(r.out.find("# " ), std::string::npos);
  EXPECT_NE(r.out.find("two is not three"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("two is not three"), r.out.find("not ok 2 Demo.Fails\n"))
      << "diagnostics precede the result line";
  EXPECT_NE(r.out.find("ok 3 Demo.Skips # SKIP no irqchip here\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0\n"),
            std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[ RUN"), std::string::npos) << "GoogleTest's own printer is replaced";
}

TEST(KtapListener, FilterChangesThePlan) {
  Result r = run(std::string(KTAP_DEMO_BIN) + " --gtest_filter=Demo.Passes");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "KTAP version 1\n1..1\nok 1 Demo.Passes\n"
                   "# totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
}

TEST(KtapListener, AllSkippedIsKselftestSkip) {
  Result r = run(std::string(KTAP_DEMO_BIN) + " --gtest_filter=Demo.Skips");
  EXPECT_EQ(r.status, 4);
}

TEST(Selftest, IsStaticAndListsItsTests) {
  Result file = run("file -L " SELFTEST_BIN);
  EXPECT_NE(file.out.find("statically linked"), std::string::npos) << file.out;
  Result r = run(SELFTEST_BIN " --gtest_list_tests");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("KvmSmoke"), std::string::npos) << r.out;
}

TEST(Selftest, MissingDevKvmIsAFailureNotASkip) {
  struct stat st {};
  if (stat("/dev/kvm", &st) == 0) GTEST_SKIP() << "this host has /dev/kvm";
  Result r = run(SELFTEST_BIN " --gtest_filter=KvmSmoke.OpenDevKvm");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("not ok 1 KvmSmoke.OpenDevKvm"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("open /dev/kvm: ENOENT"), std::string::npos) << r.out;
}

}  // namespace
