// The splatscan command line: output formats and exit status.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "splatscan/scanner.h"

namespace {

struct Result {
  int status = -1;
  std::string out;
};

// Runs the CLI with a shell command line (stderr folded into the output).
Result run(const std::string& args) {
  std::string cmd = std::string(SPLATSCAN_BIN) + " " + args + " 2>&1";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A file in the test's temporary directory, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/splatscan-cli-XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    if (fd >= 0) {
      ssize_t ignored = write(fd, content.data(), content.size());
      (void)ignored;
      close(fd);
    }
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const char* kWarning =
    "[    5.000000][   T31] ------------[ cut here ]------------\n"
    "[    5.000001][   T31] WARNING: CPU: 1 PID: 31 at virt/kvm/eventfd.c:371 "
    "kvm_irqfd_assign+0x8d2/0x1200\n"
    "[    5.000002][   T31] Call Trace:\n"
    "[    5.000003][   T31]  kvm_irqfd+0x11e/0x150\n"
    "[    5.000004][   T31] ---[ end trace 0000000000000000 ]---\n";

TEST(Cli, CleanLogExitsZero) {
  TempFile f("[    1.0] Linux version 6.12.117\n[    1.1] Run /init as init process\n");
  Result r = run(f.path());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
}

TEST(Cli, ReportLineFormatAndExitOne) {
  TempFile f(std::string("[    1.0] boot\n") + kWarning);
  Result r = run(f.path());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "WARNING\tWARNING in kvm_irqfd_assign\t" + f.path() + ":2\n");
}

TEST(Cli, JsonHasTheFixedFields) {
  TempFile f(kWarning);
  Result r = run("--json " + f.path());
  EXPECT_EQ(r.status, 1);
  for (const char* field : {"\"file\": ", "\"line\": 1", "\"kind\": \"WARNING\"",
                            "\"title\": \"WARNING in kvm_irqfd_assign\"",
                            "\"corrupted\": false", "\"count\": 1", "\"text\": \"["})
    EXPECT_NE(r.out.find(field), std::string::npos) << field << " in " << r.out;
  EXPECT_EQ(r.out.front(), '[');
}

TEST(Cli, TitlesBeyondTheCapAreOneCountedEntry) {
  std::string log;
  for (int n = 0; n < 1002; ++n)
    log += "[    2.0] WARNING: CPU: 0 PID: 1 at drivers/x.c:1 func" + std::to_string(n) +
           "+0x1/0x2\n[    2.1] ---[ end trace 0000000000000000 ]---\n";
  TempFile f(log);
  Result text = run(f.path());
  EXPECT_EQ(text.status, 1);
  std::string last = "SPLATSCAN-TRUNCATED\tsplatscan: 2 more reports with titles beyond the "
                     "first 1000 distinct ones, counted but not kept\t" + f.path() + ":2001\n";
  ASSERT_GE(text.out.size(), last.size());
  EXPECT_EQ(text.out.substr(text.out.size() - last.size()), last);
  Result json = run("--json " + f.path());
  for (const char* field : {"\"kind\": \"SPLATSCAN-TRUNCATED\"", "\"count\": 2",
                            "\"line\": 2001", "\"text\": \"\"}"})
    EXPECT_NE(json.out.find(field), std::string::npos) << field;
}

TEST(Cli, JsonOfNothingIsAnEmptyArray) {
  TempFile f("quiet\n");
  Result r = run("--json " + f.path());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "[]\n");
}

TEST(Cli, JsonEscapesControlBytesAndInvalidUtf8) {
  std::string log = kWarning;
  log.insert(log.find("Call Trace"), "\x01\xff\"\\");
  TempFile f(log);
  Result r = run("--json " + f.path());
  EXPECT_NE(r.out.find("\\u0001\\ufffd\\\"\\\\"), std::string::npos) << r.out;
}

// Each invalid UTF-8 form becomes U+FFFD, one per byte, so that any JSON
// parser reads the output; valid forms up to U+10FFFF pass through.
TEST(Json, OnlyValidUtf8PassesThrough) {
  const char* invalid[] = {
      "\xed\xa0\x80",          // U+D800, a surrogate
      "\xed\xbf\xbf",          // U+DFFF
      "\xe0\x80\x80",          // overlong U+0000 in three bytes
      "\xf0\x80\x80\x80",      // overlong U+0000 in four bytes
      "\xc0\xaf",              // overlong '/'
      "\xf4\x90\x80\x80",      // U+110000
      "\xf5\x80\x80\x80",      // lead byte above F4
      "\xe2\x82",              // truncated
  };
  for (const char* bad : invalid) {
    std::string in = std::string("a") + bad + "b";
    std::string want = "\"a";
    for (std::size_t i = 1; i + 1 < in.size(); ++i) want += "\\ufffd";
    want += "b\"";
    EXPECT_EQ(splatscan::json_string(in), want);
  }
  for (const char* good : {"\xc3\xa9", "\xe2\x82\xac", "\xed\x9f\xbf", "\xee\x80\x80",
                           "\xf0\x9d\x84\x9e", "\xf4\x8f\xbf\xbf"})
    EXPECT_EQ(splatscan::json_string(good), std::string("\"") + good + "\"");
}

TEST(Cli, StdinAndSeveralFiles) {
  TempFile a(kWarning), clean("nothing here\n");
  Result r = run("- " + clean.path() + " < " + a.path());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "WARNING\tWARNING in kvm_irqfd_assign\t-:1\n");
}

TEST(Cli, MissingFileIsAnErrorNamingIt) {
  Result r = run("/nonexistent/serial.log");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("/nonexistent/serial.log"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("No such file"), std::string::npos) << r.out;
}

TEST(Cli, UsageErrors) {
  EXPECT_EQ(run("").status, 2);
  Result r = run("--bogus x");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("unknown option '--bogus'"), std::string::npos);
  EXPECT_EQ(run("--help").status, 0);
}

// score-batch.py, which the README's batch figures come from: presence,
// titles with and without syzbot's repeat suffix, and culprits.
TEST(ScoreBatch, CountsWhatAgreesInABatchOfLogs) {
  char tmpl[] = "/tmp/splatscan-batch-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  // Removed however the test ends.
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      for (const char* f : {"1", "2", "3", "4", "SOURCES.txt"}) unlink((dir + "/" + f).c_str());
      rmdir(dir.c_str());
    }
  } cleanup{dir};
  auto put = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
  };
  put("1", std::string("TITLE: WARNING in kvm_irqfd_assign (2)\n\n") + kWarning);
  put("2", std::string("TITLE: WARNING in kvm_irqfd_deassign\n\n") + kWarning);
  put("3", "TITLE:\n\n[    1.000000] eventfd: nothing to see\n");
  put("4", std::string("CULPRIT: kvm_irqfd_assign\n\n") + kWarning);
  put("SOURCES.txt", "not a log\n");
  // python3 comes with the packages `make deps` installs (python3-jsonschema).
  std::string cmd = std::string("python3 '") + SPLATSCAN_SCORE_BATCH + "' '" + SPLATSCAN_BIN + "' '" +
                    dir + "' -v 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << out;
  EXPECT_NE(out.find(": 4 logs; presence 4/4; named (not corrupted) 3/3; titles 1/2 without the "
                     "repeat suffix (0 exact); culprit in the title 1/1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2: want 'WARNING in kvm_irqfd_deassign', got 'WARNING in kvm_irqfd_assign'"),
            std::string::npos)
      << out;
}

}  // namespace
