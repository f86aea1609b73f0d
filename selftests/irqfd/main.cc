// irqfd_selftest: KVM irqfd behaviour and stress tests, run inside the guest.
// Prints KTAP on stdout, after one line naming the seed; exit status as
// kselftest's: 0 pass, 1 fail (or a bad option), 4 all skipped (no
// /dev/kvm).
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <iostream>

#include "ktap_listener.h"
#include "options.h"

namespace {

// A seed nobody chose: nearby runs (same second, consecutive pids) differ
// in many bits, as the time and pid go through a mixer.
uint64_t draw_seed() {
  uint64_t t = static_cast<uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
  uint64_t x = t ^ (static_cast<uint64_t>(::getpid()) << 40);
  // splitmix64's finaliser
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

int main(int argc, char** argv) {
  // Our flags go first: GoogleTest would otherwise warn about them as unknown.
  irqfd::HammerOptions opts;
  std::string error;
  if (!irqfd::parse_hammer_options(&argc, argv, &opts, &error)) {
    std::cerr << "irqfd_selftest: " << error << "\n";
    return 1;  // KSFT_FAIL: 2 would read as KSFT_XFAIL
  }
  if (!opts.seed_given) opts.seed = draw_seed();
  irqfd::set_hammer_options(opts);
  ::testing::InitGoogleTest(&argc, argv);
  if (!GTEST_FLAG_GET(list_tests)) {
    // The first line, before KTAP's own (KTAP parsers skip what precedes
    // "KTAP version"): what it takes to replay this run.
    std::printf("# irqfd_selftest: --hammer-seed=%" PRIu64 "%s --hammer-seconds=%d"
                " --test-timeout=%d\n",
                opts.seed, opts.seed_given ? "" : " (drawn from time and pid)", opts.seconds,
                opts.test_timeout);
    std::fflush(stdout);
  }
  irqfd::KtapListener* ktap = irqfd::install_ktap_listener(std::cout);
  int rc = RUN_ALL_TESTS();
  int status = irqfd::ktap_exit_status(*ktap);
  return rc != 0 && status == 0 ? 1 : status;
}
