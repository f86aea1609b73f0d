// Each KVM test runs in a forked process under its own timeout, as
// kselftest_harness.h does: a test stuck in an ioctl is killed and failed by
// name after --test-timeout seconds, and the tests after it still run. The
// child's GoogleTest results (failures, skips, with file and line) are sent
// back over a pipe and replayed in the parent, which reports them in KTAP.
#ifndef IRQFD_SELFTEST_ISOLATE_H
#define IRQFD_SELFTEST_ISOLATE_H

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

namespace irqfd {

// Runs body in a child process and waits for it at most --test-timeout
// seconds plus extra. Call from a TEST body (the parent's current test
// receives the child's results).
void run_isolated(const std::function<void()>& body,
                  std::chrono::milliseconds extra = std::chrono::milliseconds(0));

// A fixture whose SetUp, Body and TearDown all run in the child, so that a
// hang in setting up or tearing down (a VM's release flushes irqfd work)
// is caught by the timeout too. Declare tests with IRQFD_TEST_F.
class IsolatedFixture {
 public:
  virtual ~IsolatedFixture() = default;
  void Run() {
    SetUp();
    if (!::testing::Test::HasFatalFailure() && !::testing::Test::IsSkipped()) Body();
    TearDown();
  }
  // How much longer than --test-timeout this fixture's tests may take.
  static std::chrono::milliseconds ExtraTime() { return std::chrono::milliseconds(0); }

 protected:
  virtual void SetUp() {}
  virtual void TearDown() {}
  virtual void Body() = 0;
};

}  // namespace irqfd

// TEST_F for an IsolatedFixture: the suite is named after the fixture.
#define IRQFD_TEST_F(fixture, name)                                          \
  class fixture##_##name##_Case : public fixture {                           \
   protected:                                                                \
    void Body() override;                                                    \
  };                                                                         \
  TEST(fixture, name) {                                                      \
    ::irqfd::run_isolated([] { fixture##_##name##_Case().Run(); },           \
                          fixture::ExtraTime());                             \
  }                                                                          \
  void fixture##_##name##_Case::Body()

#endif
