// Options of the irqfd selftest's own (--hammer-* and --test-timeout),
// parsed out of argv before GoogleTest sees it, so GoogleTest never rejects
// or forwards them.
#ifndef IRQFD_SELFTEST_OPTIONS_H
#define IRQFD_SELFTEST_OPTIONS_H

#include <cstdint>
#include <string>

namespace irqfd {

struct HammerOptions {
  // Total wall time of all Hammer.* tests that run, split evenly among them.
  // The default keeps a full run to about 30 s under TCG.
  int seconds = 30;
  int threads = 4;
  // VMs shared by the threads of a scenario (and VM slots in VmChurn).
  int vms = 2;
  // Thread i of a scenario draws from thread_seed(seed, scenario, i). When
  // no --hammer-seed is given, main() draws one from the time and the pid
  // (seed_given false) and prints it, so a failing run can be replayed.
  uint64_t seed = 0;
  bool seed_given = false;
  // RESAMPLE irqfds bound per VM in Hammer.ResampleTeardown.
  int resample_irqfds = 32;
  // Seconds each test may run in its own process before it is killed and
  // failed by name (a hung ioctl); Hammer.* tests get their planned
  // duration on top.
  int test_timeout = 60;
};

// Parses every --hammer-* and --test-timeout argument out of argv (compacting argv and *argc,
// keeping argv[*argc] == nullptr) into *opts. Arguments that are not ours
// stay in order for GoogleTest. Returns false with a one-line *error on a
// bad value or an unknown --hammer-* flag; *opts is then unspecified.
bool parse_hammer_options(int* argc, char** argv, HammerOptions* opts, std::string* error);

// One line per option, for --help style messages.
std::string hammer_options_usage();

// The options main() parsed; defaults if it never set them (host tests).
const HammerOptions& hammer_options();
void set_hammer_options(const HammerOptions& opts);

}  // namespace irqfd

#endif
