// Builds console logs in the printk format the rig's kernel prints
// ("[   12.345678][  T123] text"), for hand-made test reports.
#ifndef SPLATSCAN_TESTS_LOG_BUILDER_H
#define SPLATSCAN_TESTS_LOG_BUILDER_H

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace splatscan::testing {

class LogBuilder {
 public:
  // Appends lines printed by `caller` ("T123" or "C1"), one timestamp each.
  LogBuilder& add(std::string_view caller, std::initializer_list<std::string_view> lines) {
    for (std::string_view l : lines) add_line(caller, l);
    return *this;
  }
  LogBuilder& add_line(std::string_view caller, std::string_view text) {
    char stamp[48];
    usec_ += 731;
    std::snprintf(stamp, sizeof stamp, "[%5lu.%06lu][%6.*s] ", usec_ / 1000000,
                  usec_ % 1000000, static_cast<int>(caller.size()), caller.data());
    log_ += stamp;
    log_ += text;
    log_ += '\n';
    ++lines_;
    return *this;
  }
  // A line without a timestamp: user space writing to the console.
  LogBuilder& unstamped(std::string_view text) {
    log_ += text;
    log_ += '\n';
    ++lines_;
    return *this;
  }
  // Ordinary boot chatter, none of which is a report.
  LogBuilder& chatter(int n) {
    for (int i = 0; i < n; ++i)
      add_line("T1", "virtio_net virtio0: link up, WARNING counters reset (BUG-free path)");
    return *this;
  }
  const std::string& str() const { return log_; }
  std::size_t lines() const { return lines_; }

 private:
  std::string log_;
  std::size_t lines_ = 0;
  unsigned long usec_ = 3'500'000;
};

}  // namespace splatscan::testing

#endif
