// A GoogleTest event listener that reports in KTAP (Documentation/dev-tools/
// ktap.rst), so kernel tooling can read results out of a serial log.
#ifndef IRQFD_SELFTEST_KTAP_LISTENER_H
#define IRQFD_SELFTEST_KTAP_LISTENER_H

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace irqfd {

class KtapListener : public ::testing::EmptyTestEventListener {
 public:
  explicit KtapListener(std::ostream& out) : out_(out) {}

  void OnTestProgramStart(const ::testing::UnitTest& unit) override;
  void OnTestPartResult(const ::testing::TestPartResult& part) override;
  void OnTestEnd(const ::testing::TestInfo& info) override;
  void OnTestProgramEnd(const ::testing::UnitTest& unit) override;

  // Stops printing (a forked test's process: its parent reports for it).
  void mute() { muted_ = true; }

  int passed() const { return passed_; }
  int failed() const { return failed_; }
  int skipped() const { return skipped_; }

 private:
  void diagnostic(const std::string& text);

  std::ostream& out_;
  int number_ = 0;
  int passed_ = 0, failed_ = 0, skipped_ = 0;
  bool muted_ = false;
  std::string skip_reason_;
};

// Replaces GoogleTest's default printer with a KTAP listener on out.
KtapListener* install_ktap_listener(std::ostream& out);
// The listener install_ktap_listener() made, or nullptr.
KtapListener* ktap_listener();

// kselftest exit status: 0 pass, 1 fail, 4 when every test was skipped.
int ktap_exit_status(const KtapListener& l);

}  // namespace irqfd

#endif
