// splatscan: find and name kernel reports ("splats") in a console log.
//
// The scanner is a line-driven state machine, so a log fed in arbitrary
// chunks (a live serial port) gives exactly the reports the whole file gives.
// Memory is bounded by the longest report it keeps, never by the log.
#ifndef SPLATSCAN_SCANNER_H
#define SPLATSCAN_SCANNER_H

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splatscan {

struct Report {
  // Class of the report, in the vocabulary kernel fuzzing dashboards use
  // (KASAN-USE-AFTER-FREE-READ, LOCKDEP, HANG, WARNING, BUG, DoS, ...).
  std::string kind;
  // Title in the form the kernel community reads in syzbot reports,
  // e.g. "KASAN: slab-use-after-free Read in eventfd_ctx_remove_wait_queue".
  std::string title;
  std::size_t line = 0;  // 1-based log line where the report starts
  // The guilty frame could not be found, or the report was cut short.
  bool corrupted = false;
  std::string text;        // the report as cut out of the log
  std::size_t count = 1;   // how many reports in the log had this title
};

// Caps that keep memory bounded whatever the input.
struct Limits {
  // Longer lines are read as their first and last max_line_bytes.
  std::size_t max_line_bytes = 16 * 1024;
  std::size_t max_report_lines = 600;
  std::size_t max_report_bytes = 256 * 1024;
  // Distinct titles kept; reports with further titles are only counted (see
  // Scanner::overflow), so a log of a million different WARNINGs does not
  // grow memory with it.
  std::size_t max_titles = 1000;
};

// Reports that were counted but not kept because Limits::max_titles titles
// were already kept.
struct Overflow {
  std::size_t reports = 0;     // how many reports were not kept
  std::size_t first_line = 0;  // log line where the first of them started
};

// Kind of the entry that stands for the reports beyond Limits::max_titles.
inline constexpr const char* kOverflowKind = "SPLATSCAN-TRUNCATED";

class Scanner {
 public:
  using Callback = std::function<void(const Report&)>;

  explicit Scanner(Limits limits = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Feed any number of bytes; lines are split on '\n' (a trailing '\r' is
  // dropped). Bytes of a partial line are kept until its end arrives.
  void feed(std::string_view bytes);
  // Feed one complete line (without its newline).
  void feed_line(std::string_view line);
  // End of log: flushes a partial last line and closes an open report. A
  // log in which no report opened but a line held one of syzkaller's report
  // words gets that line as its report here, and only here: a live reader
  // learns of it at the end. Nothing may be fed after finish().
  void finish();

  // True while a report has started but has not yet been closed; a live
  // reader uses this to know a splat is being printed.
  bool in_report() const;

  // Called once per distinct title, when its first report closes.
  void on_new_report(Callback cb);

  // Reports closed so far, in order of first appearance, one per title, at
  // most Limits::max_titles of them.
  const std::vector<Report>& reports() const;

  // Reports with a title beyond the first Limits::max_titles: counted only.
  const Overflow& overflow() const;

  // The overflow as one more entry for a listing: kind kOverflowKind, a
  // title saying how many reports were not kept, count that number, line
  // where the first of them started. nullopt when nothing was dropped.
  std::optional<Report> overflow_report() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience: scan a whole log held in memory. When reports beyond
// Limits::max_titles were dropped, the last entry is overflow_report().
std::vector<Report> scan_text(std::string_view log, Limits limits = {});

// JSON for a list of (file, report) pairs: one array, an object per report.
struct FileReport {
  std::string file;
  Report report;
};
std::string to_json(const std::vector<FileReport>& reports);

// s as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD.
std::string json_string(std::string_view s);

}  // namespace splatscan

#endif
