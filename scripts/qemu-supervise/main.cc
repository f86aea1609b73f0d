// qemu-supervise [options] --out DIR -- QEMU-COMMAND...
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "supervisor.h"

namespace {

constexpr const char* kUsage =
    "usage: qemu-supervise --out DIR [--timeout S] [--grace S] [--quiet S] [--max-log-mb N]\n"
    "                      [--echo] [--boot-marker TEXT] [--end-marker TEXT] -- QEMU-COMMAND...\n"
    "Runs QEMU with the guest serial console on its stdout, writes DIR/serial.log as the\n"
    "guest prints, and stops QEMU when it exits, GRACE seconds after a kernel splat starts\n"
    "(default 5), after TIMEOUT seconds (default 600), when the guest is silent QUIET\n"
    "seconds (default off), or when the log reaches MAX-LOG-MB (default 256).\n"
    "Writes DIR/run.env (what happened) for boot-verdict.\n"
    "Exit: 0 the run ended (see run.env), 2 usage error, 3 QEMU could not start,\n"
    "130/143 interrupted by SIGINT/SIGTERM (QEMU is stopped first).\n";

int interrupt_pipe[2] = {-1, -1};
volatile sig_atomic_t interrupt_signal = 0;

void on_signal(int sig) {
  interrupt_signal = sig;
  char c = 1;
  ssize_t ignored = write(interrupt_pipe[1], &c, 1);
  (void)ignored;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::string error;
  auto opt = rig::parse_args(args, &error);
  if (!opt) {
    std::fprintf(stderr, "qemu-supervise: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (pipe2(interrupt_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    std::perror("qemu-supervise: pipe");
    return 3;
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // A full file system or a size limit must give write errors to report,
  // not a silent death.
  signal(SIGXFSZ, SIG_IGN);
  // A killed boot-test (even SIGKILL) takes the supervisor, and so QEMU, with it.
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) on_signal(SIGTERM);

  rig::Outcome o = rig::supervise(*opt, interrupt_pipe[0]);
  if (!o.qemu_started) {
    std::fprintf(stderr, "qemu-supervise: %s\n", o.qemu_error.c_str());
    return 3;
  }
  std::fprintf(stderr,
               "qemu-supervise: %s after %.1f s (QEMU exit %d), %zu bytes of serial log in "
               "%s/serial.log%s%s%s%s\n",
               o.stop_reason.c_str(), o.wall_s, o.qemu_exit, o.log_bytes, opt->out_dir.c_str(),
               o.first_splat_title.empty() ? "" : "; first splat: ",
               o.first_splat_title.c_str(), o.log_error.empty() ? "" : "; serial.log incomplete: ",
               o.log_error.c_str());
  if (interrupt_signal) return 128 + interrupt_signal;
  return 0;
}
