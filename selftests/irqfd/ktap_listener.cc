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

}  // namespace

void KtapListener::diagnostic(const std::string& text) {
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) out_ << "# " << l << "\n";
}

void KtapListener::OnTestProgramStart(const ::testing::UnitTest& unit) {
  out_ << "KTAP version 1\n1.." << unit.test_to_run_count() << "\n" << std::flush;
}

void KtapListener::OnTestPartResult(const ::testing::TestPartResult& part) {
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
  const ::testing::TestResult* r = info.result();
  ++number_;
  if (r->Skipped()) {
    ++skipped_;
    std::string reason = skip_reason_.substr(0, skip_reason_.find('\n'));
    out_ << "ok " << number_ << " " << ktap_name(info) << " # SKIP " << reason << "\n";
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
  out_ << "# totals: pass:" << passed_ << " fail:" << failed_ << " xfail:0 xpass:0 skip:"
       << skipped_ << " error:0\n"
       << std::flush;
}

KtapListener* install_ktap_listener(std::ostream& out) {
  ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  auto listener = std::make_unique<KtapListener>(out);
  KtapListener* raw = listener.get();
  listeners.Append(listener.release());  // GoogleTest owns its listeners
  return raw;
}

int ktap_exit_status(const KtapListener& l) {
  if (l.failed() > 0) return 1;
  if (l.passed() == 0 && l.skipped() > 0) return 4;
  return 0;
}

}  // namespace irqfd
