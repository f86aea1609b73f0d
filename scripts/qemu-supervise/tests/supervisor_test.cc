// qemu-supervise against fake guests: shell scripts that print what a kernel
// would, then exit, hang, flood or splat.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "supervisor.h"

namespace rig {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Dead, or a zombie waiting for init to reap it (killed orphans end up so).
bool gone(pid_t pid) {
  for (int i = 0; i < 50; ++i) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    std::size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z')
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qemu-supervise-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  Options fake_guest(const std::string& script) {
    Options o;
    o.out_dir = dir_ + "/run";
    o.command = {"/bin/sh", "-c", script};
    o.timeout_s = 20;
    o.grace_s = 0.5;
    return o;
  }
  // PIDs the fake guest printed as "pid=N": all must be gone.
  void expect_no_survivors() {
    std::istringstream log(read_file(dir_ + "/run/serial.log"));
    for (std::string l; std::getline(log, l);) {
      std::size_t at = l.find("pid=");
      if (at == std::string::npos) continue;
      pid_t pid = std::atoi(l.c_str() + at + 4);
      ASSERT_GT(pid, 0);
      EXPECT_TRUE(gone(pid)) << "process " << pid << " survived";
    }
  }
  std::string dir_;
};

const char* kKasan =
    "echo '[    4.0][  T90] =================================================================='; "
    "echo '[    4.0][  T90] BUG: KASAN: slab-use-after-free in irqfd_shutdown+0x5a/0x1b0'; "
    "echo '[    4.0][  T90] Read of size 8 at addr ffff888004a1c2e8 by task kworker/1:2/90'; "
    "echo '[    4.0][  T90] Call Trace:'; "
    "echo '[    4.0][  T90]  irqfd_shutdown+0x5a/0x1b0'; ";

TEST_F(SupervisorTest, GuestThatEndsNormally) {
  Options o = fake_guest(
      "echo '[    1.0] Run /init as init process'; echo 'ok 1 irqfd'; "
      "echo 'irqfd-rig: end status=0'; exit 0");
  Outcome out = supervise(o, -1);
  EXPECT_TRUE(out.qemu_started);
  EXPECT_EQ(out.stop_reason, "guest-exit");
  EXPECT_EQ(out.qemu_exit, 0);
  EXPECT_TRUE(out.boot_marker_seen);
  EXPECT_GE(out.boot_s, 0);
  EXPECT_TRUE(out.end_marker_seen);
  EXPECT_EQ(out.test_status, 0);
  EXPECT_TRUE(out.first_splat_title.empty());
  EXPECT_NE(read_file(o.out_dir + "/serial.log").find("ok 1 irqfd"), std::string::npos);
  std::string env = read_file(o.out_dir + "/run.env");
  EXPECT_NE(env.find("stop_reason=guest-exit\n"), std::string::npos) << env;
  EXPECT_NE(env.find("test_status=0\n"), std::string::npos) << env;
}

TEST_F(SupervisorTest, FirstKtapFailureIsTimed) {
  Options o = fake_guest(
      "echo 'ok 1 a'; echo '    not ok 1 subtest'; echo '# not ok'; sleep 0.3; "
      "echo 'not ok 2 b'; echo 'not ok 3 c'; echo 'irqfd-rig: end status=1'");
  auto t0 = std::chrono::steady_clock::now();
  Outcome out = supervise(o, -1);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(out.first_failure_s, 0.3) << "only a top-level 'not ok' counts, not a subtest's";
  EXPECT_LE(out.first_failure_s, took);
  EXPECT_NE(read_file(o.out_dir + "/run.env").find("first_failure_s="), std::string::npos);
}

TEST_F(SupervisorTest, PassingGuestHasNoFailureTime) {
  Options o = fake_guest("echo 'ok 1 a'; echo 'irqfd-rig: end status=0'");
  Outcome out = supervise(o, -1);
  EXPECT_LT(out.first_failure_s, 0);
  EXPECT_NE(read_file(o.out_dir + "/run.env").find("first_failure_s=-1\n"), std::string::npos);
}

TEST_F(SupervisorTest, NonZeroTestStatusIsReported) {
  Outcome out = supervise(fake_guest("echo 'irqfd-rig: end status=1'"), -1);
  EXPECT_TRUE(out.end_marker_seen);
  EXPECT_EQ(out.test_status, 1);
}

TEST_F(SupervisorTest, SplatThenHangStopsAfterGrace) {
  Options o = fake_guest(std::string("echo guest pid=$$; sleep 1000 & echo sleeper pid=$!; ") +
                         kKasan + "echo '[    4.1][  T90]  process_one_work+0x5f1/0xe70'; wait");
  auto t0 = std::chrono::steady_clock::now();
  Outcome out = supervise(o, -1);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(out.stop_reason, "splat");
  EXPECT_LT(took, 6.0) << "a hung guest must be stopped shortly after its splat";
  EXPECT_GE(took, o.grace_s) << "the rest of the report gets a grace period";
  EXPECT_GE(out.first_splat_s, 0);
  EXPECT_EQ(out.first_splat_title, "KASAN: slab-use-after-free Read in irqfd_shutdown");
  EXPECT_NE(read_file(o.out_dir + "/serial.log").find("process_one_work"), std::string::npos)
      << "lines printed during the grace period are kept";
  expect_no_survivors();
}

TEST_F(SupervisorTest, SilentHangTimesOut) {
  Options o = fake_guest("echo guest pid=$$; exec sleep 1000");
  o.timeout_s = 1;
  Outcome out = supervise(o, -1);
  EXPECT_EQ(out.stop_reason, "timeout");
  EXPECT_FALSE(out.end_marker_seen);
  expect_no_survivors();
}

TEST_F(SupervisorTest, QuietGuestIsStopped) {
  Options o = fake_guest("echo guest pid=$$; echo booting; exec sleep 1000");
  o.quiet_s = 0.5;
  Outcome out = supervise(o, -1);
  EXPECT_EQ(out.stop_reason, "quiet");
  expect_no_survivors();
}

TEST_F(SupervisorTest, FloodIsCappedAndStopped) {
  Options o = fake_guest("echo guest pid=$$; exec yes 'irqfd hammer line'");
  o.max_log_bytes = 1 << 20;
  Outcome out = supervise(o, -1);
  EXPECT_EQ(out.stop_reason, "flood");
  EXPECT_EQ(out.log_bytes, o.max_log_bytes);
  EXPECT_EQ(read_file(o.out_dir + "/serial.log").size(), o.max_log_bytes);
  expect_no_survivors();
}

TEST_F(SupervisorTest, MissingQemuIsAnInfrastructureError) {
  Options o = fake_guest("");
  o.command = {"/nonexistent/qemu-system-x86_64", "-kernel", "x"};
  Outcome out = supervise(o, -1);
  EXPECT_FALSE(out.qemu_started);
  EXPECT_NE(out.qemu_error.find("/nonexistent/qemu-system-x86_64"), std::string::npos);
  EXPECT_NE(read_file(o.out_dir + "/run.env").find("qemu_started=0"), std::string::npos);
}

TEST_F(SupervisorTest, QemuThatFailsAtOnceKeepsItsStderr) {
  Outcome out = supervise(fake_guest("echo 'qemu: could not load kernel' >&2; exit 1"), -1);
  EXPECT_TRUE(out.qemu_started);
  EXPECT_EQ(out.qemu_exit, 1);
  EXPECT_NE(out.qemu_error.find("could not load kernel"), std::string::npos);
}

TEST_F(SupervisorTest, SigtermStopsGuestAndExits143) {
  std::string out_dir = dir_ + "/run";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(SUPERVISE_BIN, SUPERVISE_BIN, "--out", out_dir.c_str(), "--", "/bin/sh", "-c",
          "echo guest pid=$$; sleep 1000 & echo sleeper pid=$!; wait", nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(child, SIGTERM);
  int st = 0;
  waitpid(child, &st, 0);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 143);
  EXPECT_NE(read_file(out_dir + "/run.env").find("stop_reason=interrupted"), std::string::npos);
  expect_no_survivors();
}

// A serial.log that cannot be written (here: a file size limit, as a full
// disk would) is reported with its cause, the log holds an exact prefix, and
// a splat the live scan saw after that point is still reported.
TEST_F(SupervisorTest, UnwritableLogIsReportedAndLiveSplatKept) {
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  sighandler_t old_xfsz = signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 300 << 10;  // above the run.env and verdict reservations
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  Options o = fake_guest(std::string("yes 'hammer line' | head -c 600000; ") + kKasan +
                         "echo 'irqfd-rig: end status=0'");
  Outcome out = supervise(o, -1);
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, old_xfsz);
  EXPECT_NE(out.log_error.find("File too large"), std::string::npos) << out.log_error;
  EXPECT_LT(out.log_bytes, out.guest_bytes);
  EXPECT_EQ(read_file(o.out_dir + "/serial.log").size(), out.log_bytes);
  EXPECT_EQ(out.first_splat_title, "KASAN: slab-use-after-free Read in irqfd_shutdown");
  EXPECT_EQ(out.splat_count, 1u);
  std::string env = read_file(o.out_dir + "/run.env");
  EXPECT_NE(env.find("log_error=File too large"), std::string::npos) << env;
  EXPECT_NE(env.find("first_splat_kind=KASAN"), std::string::npos) << env;
}

// A process outside QEMU's process group that keeps the serial pipe open
// (and writing) must not stretch the timeout.
TEST_F(SupervisorTest, TimeoutIsHardWhenAnOrphanHoldsTheConsole) {
  Options o = fake_guest(
      "setsid sh -c 'echo orphan pid=$$; while :; do echo tick; sleep 0.2; done' & "
      "exec sleep 1000");
  o.timeout_s = 1;
  auto t0 = std::chrono::steady_clock::now();
  Outcome out = supervise(o, -1);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The orphan escaped the group on purpose; the test cleans it up.
  std::istringstream log(read_file(o.out_dir + "/serial.log"));
  for (std::string l; std::getline(log, l);)
    if (l.rfind("orphan pid=", 0) == 0) kill(std::atoi(l.c_str() + 11), SIGKILL);
  EXPECT_EQ(out.stop_reason, "timeout");
  EXPECT_LT(took, 7.0) << "timeout 1 s, 3 s to stop QEMU, 2 s to drain";
}

// --echo into a stdout nobody reads drops output instead of blocking.
TEST_F(SupervisorTest, EchoIntoAFullPipeDoesNotBlock) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  std::fflush(stdout);
  int saved = dup(1);
  dup2(p[1], 1);
  Options o = fake_guest("yes 'console line' | head -c 2000000; echo 'irqfd-rig: end status=0'");
  o.echo = true;
  o.timeout_s = 10;
  Outcome out = supervise(o, -1);
  dup2(saved, 1);
  close(saved);
  close(p[0]);
  close(p[1]);
  EXPECT_EQ(out.stop_reason, "guest-exit");
  EXPECT_TRUE(out.end_marker_seen);
  EXPECT_GT(out.echo_dropped, 0u);
  EXPECT_EQ(out.log_bytes, out.guest_bytes) << "the log itself is complete";
}

TEST(ParseArgs, RequiresOutAndCommand) {
  std::string err;
  EXPECT_FALSE(parse_args({"--", "qemu"}, &err));
  EXPECT_NE(err.find("--out"), std::string::npos);
  err.clear();
  EXPECT_FALSE(parse_args({"--out", "d"}, &err));
  EXPECT_NE(err.find("QEMU command"), std::string::npos);
  err.clear();
  EXPECT_FALSE(parse_args({"--out", "d", "--timeout", "soon", "--", "q"}, &err));
  EXPECT_NE(err.find("'soon'"), std::string::npos);
  err.clear();
  // strtod reads "nan" and "inf": a timeout that never fires is no timeout.
  for (const char* v : {"nan", "inf", "-1"}) {
    EXPECT_FALSE(parse_args({"--out", "d", "--timeout", v, "--", "q"}, &err)) << v;
    EXPECT_NE(err.find(std::string("'") + v + "'"), std::string::npos) << err;
    err.clear();
  }
  auto o = parse_args({"--out", "d", "--grace", "2.5", "--echo", "--", "q", "-m", "1G"}, &err);
  ASSERT_TRUE(o) << err;
  EXPECT_EQ(o->grace_s, 2.5);
  EXPECT_TRUE(o->echo);
  EXPECT_EQ(o->command.size(), 3u);
}

TEST(EndMarker, ParsesStatus) {
  EXPECT_EQ(parse_end_marker("[ 9.1] irqfd-rig: end status=3", "irqfd-rig: end status=").value_or(-1), 3);
  EXPECT_FALSE(parse_end_marker("irqfd-rig: end status=", "irqfd-rig: end status="));
  EXPECT_FALSE(parse_end_marker("irqfd-rig: begin", "irqfd-rig: end status="));
}

}  // namespace
}  // namespace rig
