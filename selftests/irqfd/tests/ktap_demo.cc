// A tiny GoogleTest program with one passing, one failing and two skipped
// tests (with and without a reason), reporting through the KTAP listener:
// the fixture for its tests.
#include <gtest/gtest.h>

#include <iostream>

#include "ktap_listener.h"

TEST(Demo, Passes) { EXPECT_EQ(1, 1); }
TEST(Demo, Fails) { EXPECT_EQ(2, 3) << "two is not three"; }
TEST(Demo, Skips) { GTEST_SKIP() << "no irqchip here"; }
TEST(Demo, SkipsWithoutReason) { GTEST_SKIP(); }

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  irqfd::KtapListener* ktap = irqfd::install_ktap_listener(std::cout);
  int rc = RUN_ALL_TESTS();
  (void)rc;  // the KTAP tally decides the exit status
  return irqfd::ktap_exit_status(*ktap);
}
