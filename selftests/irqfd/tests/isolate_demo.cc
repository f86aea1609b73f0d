// A GoogleTest program whose tests run through run_isolated(): one passes,
// one fails, one skips, one hangs, one crashes, one passes after them. The
// fixture of isolate_test in ktap_listener_test.cc.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "isolate.h"
#include "ktap_listener.h"
#include "options.h"

namespace {

class Demo : public irqfd::IsolatedFixture {};

IRQFD_TEST_F(Demo, Passes) { EXPECT_EQ(1, 1); }
IRQFD_TEST_F(Demo, Fails) { EXPECT_EQ(2, 3) << "two is not three"; }
IRQFD_TEST_F(Demo, Skips) { GTEST_SKIP() << "no irqchip here"; }
IRQFD_TEST_F(Demo, Hangs) {
  for (;;) pause();  // as an ioctl that never returns
}
IRQFD_TEST_F(Demo, Crashes) { std::abort(); }
IRQFD_TEST_F(Demo, RunsAfterTheOthers) { EXPECT_EQ(4, 4); }

}  // namespace

int main(int argc, char** argv) {
  irqfd::HammerOptions opts;
  std::string error;
  if (!irqfd::parse_hammer_options(&argc, argv, &opts, &error)) {
    std::cerr << error << "\n";
    return 1;
  }
  irqfd::set_hammer_options(opts);
  ::testing::InitGoogleTest(&argc, argv);
  irqfd::KtapListener* ktap = irqfd::install_ktap_listener(std::cout);
  RUN_ALL_TESTS();
  return irqfd::ktap_exit_status(*ktap);
}
