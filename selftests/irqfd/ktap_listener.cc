#include "ktap_listener.h"

#include <sstream>

namespace irqfd {

namespace {

// KTAP names are one line without '#', which would start a directive.
std::string ktap_name(const ::testing::TestInfo& info) {
  std::string name = std::string(info.test_suite_name()) + "." + info.name();
  if (info.value_param()) name += "/" + std::string(info.value_param());
  for (char& c : name)
    if (c == '#' || c == '\n') c = '_';
  return name;
}

KtapListener* g_listener = nullptr;

}  // namespace

void KtapListener::diagnostic(const std::string& text) {
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) out_ << "# " << l << "\n";
}

void KtapListener::OnTestProgramStart(const ::testing::UnitTest& unit) {
  // --gtest_repeat=N runs every test N times, each with its own result
  // line; a negative N repeats for ever, so no plan can be promised.
  int repeat = GTEST_FLAG_GET(repeat);
  out_ << "KTAP version 1\n";
  if (repeat >= 0) out_ << "1.." << unit.test_to_run_count() * repeat << "\n";
  out_ << std::flush;
}

void KtapListener::OnTestPartResult(const ::testing::TestPartResult& part) {
  if (muted_) return;
  if (part.skipped()) {
    skip_reason_ = part.message();
    return;
  }
  if (!part.failed()) return;
  std::ostringstream where;
  if (part.file_name()) where << part.file_name() << ":" << part.line_number() << ": ";
  diagnostic(where.str() + part.summary());
  out_ << std::flush;
}

void KtapListener::OnTestEnd(const ::testing::TestInfo& info) {
  if (muted_) return;
  const ::testing::TestResult* r = info.result();
  ++number_;
  if (r->Skipped()) {
    ++skipped_;
    std::string reason = skip_reason_.substr(0, skip_reason_.find('\n'));
    // "# SKIP" alone when there is no reason: no trailing blank.
    out_ << "ok " << number_ << " " << ktap_name(info) << " # SKIP"
         << (reason.empty() ? "" : " ") << reason << "\n";
  } else if (r->Failed()) {
    ++failed_;
    out_ << "not ok " << number_ << " " << ktap_name(info) << "\n";
  } else {
    ++passed_;
    out_ << "ok " << number_ << " " << ktap_name(info) << "\n";
  }
  skip_reason_.clear();
  out_ << std::flush;
}

void KtapListener::OnTestProgramEnd(const ::testing::UnitTest&) {
  if (muted_) return;
  // As kselftest's ksft_print_cnts() prints it.
  out_ << "# Totals: pass:" << passed_ << " fail:" << failed_ << " xfail:0 xpass:0 skip:"
       << skipped_ << " error:0\n"
       << std::flush;
}

KtapListener* install_ktap_listener(std::ostream& out) {
  ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  auto listener = std::make_unique<KtapListener>(out);
  g_listener = listener.get();
  listeners.Append(listener.release());  // GoogleTest owns its listeners
  return g_listener;
}

KtapListener* ktap_listener() { return g_listener; }

int ktap_exit_status(const KtapListener& l) {
  if (l.failed() > 0) return 1;
  if (l.passed() == 0 && l.skipped() > 0) return 4;
  return 0;
}

}  // namespace irqfd
