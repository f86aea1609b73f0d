// irqfd_selftest: KVM irqfd behaviour and stress tests, run inside the guest.
// Prints KTAP on stdout; exit status 0 pass, 1 fail, 4 all skipped, 2 bad
// --hammer-* option.
#include <gtest/gtest.h>

#include <iostream>

#include "ktap_listener.h"
#include "options.h"

int main(int argc, char** argv) {
  // Our flags go first: GoogleTest would otherwise warn about them as unknown.
  irqfd::HammerOptions opts;
  std::string error;
  if (!irqfd::parse_hammer_options(&argc, argv, &opts, &error)) {
    std::cerr << "irqfd_selftest: " << error << "\n";
    return 2;
  }
  irqfd::set_hammer_options(opts);
  ::testing::InitGoogleTest(&argc, argv);
  irqfd::KtapListener* ktap = irqfd::install_ktap_listener(std::cout);
  int rc = RUN_ALL_TESTS();
  int status = irqfd::ktap_exit_status(*ktap);
  return rc != 0 && status == 0 ? 1 : status;
}
