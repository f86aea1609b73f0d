// qemu-supervise: run one guest under QEMU, keep its serial log, and stop it
// when it ends, when a kernel splat has been printed, or when time runs out.
#ifndef IRQFD_RIG_SUPERVISOR_H
#define IRQFD_RIG_SUPERVISOR_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rig {

struct Options {
  std::string out_dir;             // serial.log and run.env go here
  std::vector<std::string> command;  // the QEMU command line (argv)
  double timeout_s = 600;          // hard limit for the whole run
  double grace_s = 5;              // keep reading this long after a splat starts
  double quiet_s = 0;              // stop when the guest prints nothing this long (0: off)
  std::size_t max_log_bytes = 256u << 20;  // a flooding guest is stopped here
  bool echo = false;               // copy the serial output to stdout
  // Lines the guest's /init prints; see rootfs/init.
  std::string boot_marker = "Run /init as init process";
  std::string end_marker = "irqfd-rig: end status=";
};

// Parses argv; on error returns nullopt and sets *error to a message.
std::optional<Options> parse_args(const std::vector<std::string>& args, std::string* error);

// What happened, written to run.env (KEY=value lines) for boot-verdict.
struct Outcome {
  bool qemu_started = false;
  std::string qemu_error;        // why QEMU could not start, or its stderr tail
  int qemu_exit = -1;            // exit status, or 128+signal
  std::string stop_reason;       // guest-exit, splat, timeout, quiet, flood, interrupted
  bool boot_marker_seen = false;
  double boot_s = -1;            // QEMU start to the boot marker
  bool end_marker_seen = false;
  int test_status = -1;          // from the end marker
  double first_splat_s = -1;     // QEMU start to the first splat line
  double first_failure_s = -1;   // QEMU start to the first KTAP "not ok" line
  std::string first_splat_title;
  std::string first_splat_kind;
  std::size_t splat_count = 0;   // distinct reports the live scan found
  double wall_s = 0;
  std::size_t log_bytes = 0;     // bytes that reached serial.log
  std::size_t guest_bytes = 0;   // bytes the guest printed (the live scan saw all)
  // Why serial.log is incomplete ("No space left on device at byte N"):
  // the log cannot be judged alone, but what the live scan saw still counts.
  std::string log_error;
  std::size_t echo_dropped = 0;  // --echo output dropped because stdout was not writable
};

std::string outcome_env(const Outcome& o);

// The status after "irqfd-rig: end status=" in line, if the line has it.
std::optional<int> parse_end_marker(std::string_view line, std::string_view marker);

// Runs the guest. Returns the outcome; writes serial.log as it goes and
// run.env at the end. interrupt_fd becomes readable when the user interrupts.
Outcome supervise(const Options& opt, int interrupt_fd);

}  // namespace rig

#endif
