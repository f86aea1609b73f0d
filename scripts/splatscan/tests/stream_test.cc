// A log fed in arbitrary pieces, as a serial port delivers it, must give the
// same reports as the whole file; hostile input must neither crash nor hang.
#include <sys/resource.h>

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "corpus.h"
#include "log_builder.h"
#include "splatscan/scanner.h"

namespace splatscan {
namespace {

std::vector<Report> scan_in_pieces(const std::string& log, std::mt19937& rng,
                                   std::size_t max_piece, Limits limits = {}) {
  Scanner s(limits);
  std::uniform_int_distribution<std::size_t> size(1, max_piece);
  for (std::size_t pos = 0; pos < log.size();) {
    std::size_t n = std::min(size(rng), log.size() - pos);
    s.feed(std::string_view(log).substr(pos, n));
    pos += n;
  }
  s.finish();
  return s.reports();
}

void expect_same(const std::vector<Report>& a, const std::vector<Report>& b,
                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].title, b[i].title) << what;
    EXPECT_EQ(a[i].kind, b[i].kind) << what;
    EXPECT_EQ(a[i].line, b[i].line) << what;
    EXPECT_EQ(a[i].count, b[i].count) << what;
    EXPECT_EQ(a[i].corrupted, b[i].corrupted) << what;
    EXPECT_EQ(a[i].text, b[i].text) << what;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Stream, CorpusInRandomPiecesEqualsWholeFile) {
  std::vector<std::string> names = testing::corpus_files();
  ASSERT_FALSE(names.empty()) << "corpus not found at " << SPLATSCAN_CORPUS;
  std::mt19937 rng(12345);
  std::size_t with_reports = 0;
  for (std::size_t i = 0; i < names.size(); i += 3) {
    std::string log = read_file(std::string(SPLATSCAN_CORPUS) + "/" + names[i]);
    std::vector<Report> whole = scan_text(log);
    with_reports += !whole.empty();
    expect_same(whole, scan_in_pieces(log, rng, 1 + i % 300), names[i]);
  }
  EXPECT_GT(with_reports, 150u) << "the comparison must cover real reports";
}

TEST(Stream, LongLinesInRandomPiecesEqualWholeFile) {
  // A small line cap makes many corpus lines long ones, read by their head
  // and far end: fed in pieces, they must give what the whole file gives.
  Limits limits;
  limits.max_line_bytes = 64;
  std::mt19937 rng(4242);
  std::vector<std::string> names = testing::corpus_files();
  ASSERT_FALSE(names.empty()) << "corpus not found at " << SPLATSCAN_CORPUS;
  for (std::size_t i = 1; i < names.size(); i += 5) {
    std::string log = read_file(std::string(SPLATSCAN_CORPUS) + "/" + names[i]);
    expect_same(scan_text(log, limits), scan_in_pieces(log, rng, 1 + i % 100, limits), names[i]);
  }
}

TEST(Stream, FeedLineEqualsFeed) {
  testing::LogBuilder log;
  log.add("T1", {"BUG: kernel NULL pointer dereference, address: 0000000000000008",
                 "RIP: 0010:irqfd_shutdown+0x22/0x1b0", "Call Trace:",
                 " process_one_work+0x5f1/0xe70", "---[ end trace 0000000000000000 ]---"});
  Scanner s;
  std::istringstream in(log.str());
  for (std::string line; std::getline(in, line);) s.feed_line(line);
  s.finish();
  expect_same(scan_text(log.str()), s.reports(), "feed_line");
}

TEST(Stream, InReportIsTrueWhileAReportIsPrinted) {
  Scanner s;
  s.feed("[    1.000000][  T1] ==================================================================\n");
  s.feed("[    1.000001][  T1] BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x1/0x2\n");
  EXPECT_TRUE(s.in_report());
  EXPECT_TRUE(s.reports().empty());
  int seen = 0;
  s.on_new_report([&](const Report& r) {
    ++seen;
    EXPECT_EQ(r.title.rfind("KASAN: slab-use-after-free", 0), 0u);
  });
  s.finish();
  EXPECT_FALSE(s.in_report());
  EXPECT_EQ(seen, 1);
}

TEST(Hostile, BinaryGarbage) {
  std::mt19937 rng(7);
  std::string junk(4 << 20, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  std::vector<Report> reports = scan_text(junk);
  EXPECT_TRUE(reports.empty());
}

TEST(Hostile, DamagedPrefixesAndReportFragmentsNeverThrow) {
  // Each line is a prefix the scanner strips with a random stretch cut out
  // of it, then pieces of the report forms it reads glued at random: every
  // parser must bound what it reads by what is there (a date cut short,
  // "[Wed Dec  2 ] ", once made the prefix reader look before the line).
  static const std::string_view kPrefixes[] = {
      "[Wed Dec  2 15:57:30 2026] ", "Dec  2 15:57:30 host kernel: ",
      "2026-12-02T15:57:30.123456+00:00 host kernel: ", "[   12.345678][  T123] ",
      "<4>[    1.200000] ", "[    0.000000][    C1] ", "syzkaller login: [   3.1] ",
      "2018/01/09 14:28:48 ", "** 5 printk messages dropped ** [  60.1][ T77] "};
  static const char* const kBodyPieces[] = {
      "(", ")", "fs/a.c:12", "b.h:1", " ", "+0x1/0x2", " [inline]", "BUG: KASAN: x in ",
      "at: ", "? ", "func", "0x", "\t", "RIP: 0010:", "-> #1 ", "Call Trace:", "INFO: task ",
      "WARNING: ", "Unable to handle kernel paging request", "Mem abort info:", "ESR = ",
      "executing program", "=====", "is trying to acquire lock:", "rcu: INFO: rcu_",
      "Booting the kernel.", "---[ end trace", "NMI backtrace for cpu 0",
      "unreferenced object", "[<ffffffff81000000>] ", "[", "]"};
  std::mt19937 rng(20261202);
  std::uniform_int_distribution<std::size_t> which(0, std::size(kPrefixes) - 1),
      body(0, std::size(kBodyPieces) - 1), bodies(0, 6);
  for (int log = 0; log < 2000; ++log) {
    std::string text;
    for (int line = 0; line < 30; ++line) {
      std::string prefix(kPrefixes[which(rng)]);
      std::size_t from = std::uniform_int_distribution<std::size_t>(0, prefix.size())(rng);
      std::size_t to = std::uniform_int_distribution<std::size_t>(from, prefix.size())(rng);
      text += prefix.erase(from, to - from);
      for (std::size_t n = bodies(rng); n > 0; --n) text += kBodyPieces[body(rng)];
      text += '\n';
    }
    EXPECT_NO_THROW(scan_text(text)) << text;
  }
}

TEST(Hostile, HugeLinesAreReadByTheirEndsNotHeld) {
  std::string log = "[    1.0] BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x1/0x2 ";
  log += std::string(1 << 20, 'A');  // a 1 MiB line
  log += "\n[    1.1] Read of size 8 at addr ffff888004a1c2e8\n";
  log += std::string(3 << 20, 'B');  // 3 MiB without a newline at all
  Limits limits;
  std::vector<Report> reports = scan_text(log, limits);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_LE(reports[0].text.size(), limits.max_report_bytes + 2 * limits.max_line_bytes);
  EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup");
}

TEST(Hostile, ReportAtTheEndOfAHugeLineIsFound) {
  // A program wrote 1 MiB to the console without a newline, then the
  // kernel's report began on the same line.
  std::string log = "[    1.0] irqfd: starting\n";
  log += std::string(1 << 20, 'A');
  log += "[    2.0] BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x55/0x5b0\n";
  log += "[    2.0] Read of size 8 at addr ffff888004a1c2e8 by task irqfd/123\n";
  log += "[    2.0] Call Trace:\n[    2.0]  irqfd_wakeup+0x55/0x5b0\n";
  log += "[    2.0]  eventfd_write+0x2bf/0x4a0\n";
  log += "[    3.0] WARNING: CPU: 0 PID: 1 at virt/kvm/eventfd.c:1 irqfd_shutdown+0x1/0x2\n";
  for (std::size_t chunk : {log.size(), std::size_t{7}}) {
    Scanner s;
    for (std::size_t at = 0; at < log.size(); at += chunk) s.feed(std::string_view(log).substr(at, chunk));
    s.finish();
    const std::vector<Report>& reports = s.reports();
    ASSERT_EQ(reports.size(), 2u) << "fed in pieces of " << chunk;
    EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup");
    EXPECT_EQ(reports[0].line, 2u) << "the long line's own number";
    EXPECT_EQ(reports[1].line, 7u) << "later lines keep their numbers";
  }
}

TEST(Hostile, ReportAcrossTheCutOfALongLineIsReadWhole) {
  // The report begins just before the line's cap, so the head would cut
  // its header; it is read whole from the line's far end.
  Limits limits;
  for (std::size_t before : {limits.max_line_bytes - 60, limits.max_line_bytes - 13,
                             limits.max_line_bytes - 1, limits.max_line_bytes,
                             limits.max_line_bytes + 1, 2 * limits.max_line_bytes - 13}) {
    std::string log = "[    1.0] irqfd: starting\n" + std::string(before, 'A');
    log += "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x55/0x5b0\n";
    log += "[    2.0] Read of size 8 at addr ffff888004a1c2e8 by task irqfd/123\n";
    log += "[    2.0] Call Trace:\n[    2.0]  irqfd_wakeup+0x55/0x5b0";  // no newline at the end
    std::vector<Report> reports = scan_text(log, limits);
    ASSERT_EQ(reports.size(), 1u) << before << " bytes before the header";
    EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup") << before;
    EXPECT_EQ(reports[0].line, 2u) << before;
  }
  // A line that ends in its far end with a carriage return only is one line.
  std::string crlf = std::string(limits.max_line_bytes, 'A') + "\r\n";
  crlf += "[    2.0] WARNING: CPU: 0 PID: 1 at virt/kvm/eventfd.c:1 irqfd_shutdown+0x1/0x2\n";
  std::vector<Report> reports = scan_text(crlf, limits);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].line, 2u);
}

TEST(Hostile, ReportWordInTheMiddleOfAVeryLongLineIsTheLogsReport) {
  // Neither the line's head nor its far end holds the word; wherever it
  // stands and however the bytes arrive, the log has a report, as it has
  // for syzkaller, which looks for its words in whole lines.
  Limits limits;
  limits.max_line_bytes = 64;
  std::mt19937 rng(99);
  const std::string word = "BUG: spinlock bad magic on CPU#0, irqfd/1";
  for (std::size_t before = 64; before < 64 + 5 * 64; before += 7) {
    std::string log = "[    1.0] irqfd: starting\n" + std::string(before, 'A') + word +
                      std::string(200, 'z') + "\n[    2.0] irqfd: done\n";
    std::vector<Report> whole = scan_text(log, limits);
    ASSERT_EQ(whole.size(), 1u) << before << " bytes before the word";
    EXPECT_EQ(whole[0].title.rfind("BUG: spinlock bad magic", 0), 0u) << whole[0].title;
    EXPECT_EQ(whole[0].line, 2u);
    for (std::size_t piece : {1u, 5u, 63u, 64u, 65u, 200u})
      expect_same(whole, scan_in_pieces(log, rng, piece, limits), "pieces of up to " + std::to_string(piece));
  }
  // A notice that passes the word over, in the same stretch, is no report.
  std::string notice = std::string(300, 'A') + "BUG: no syscalls can create resource fd" +
                       std::string(300, 'z') + "\n";
  EXPECT_TRUE(scan_text(notice, limits).empty());
}

TEST(Hostile, CrlfLineEndings) {
  testing::LogBuilder log;
  log.add("T1", {"------------[ cut here ]------------",
                 "WARNING: CPU: 1 PID: 31 at virt/kvm/eventfd.c:371 kvm_irqfd_assign+0x8d2/0x1200",
                 "Call Trace:", " kvm_irqfd+0x11e/0x150", "---[ end trace 0000000000000000 ]---"});
  std::string crlf;
  for (char c : log.str()) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::vector<Report> reports = scan_text(crlf);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "WARNING in kvm_irqfd_assign");
}

TEST(Hostile, InterleavedOutputFromTwoCpus) {
  // Task 123's KASAN report with task 456's unrelated lines woven in.
  testing::LogBuilder log;
  const char* kasan[] = {"==================================================================",
                         "BUG: KASAN: slab-use-after-free in irqfd_wakeup+0x55/0x5b0",
                         "Read of size 8 at addr ffff888004a1c2e8 by task irqfd/123",
                         "Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80",
                         " kasan_report+0xbd/0xf0", " irqfd_wakeup+0x55/0x5b0",
                         " eventfd_write+0x2bf/0x4a0", " </TASK>",
                         "=================================================================="};
  for (const char* l : kasan) {
    log.add_line("T123", l);
    log.add_line("T456", " fake_frame_from_other_task+0x1/0x2");
  }
  std::vector<Report> reports = scan_text(log.str());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].title, "KASAN: slab-use-after-free Read in irqfd_wakeup");
  EXPECT_EQ(reports[0].text.find("fake_frame"), std::string::npos);
}

TEST(Hostile, EndlessReportIsCappedAndClosed) {
  std::string log = "[    1.0] INFO: task kworker/0:1:12 blocked for more than 10 seconds.\n";
  for (int i = 0; i < 200000; ++i) log += "[    1.1]  irqfd_shutdown+0x5a/0x1b0\n";
  Limits limits;
  std::vector<Report> reports = scan_text(log, limits);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_LE(reports[0].text.size(), limits.max_report_bytes + limits.max_line_bytes);
}

// A WARNING titled "WARNING in func<n>", as two lines of a console log.
std::string numbered_warning(std::size_t n) {
  return "[    2.0] WARNING: CPU: 0 PID: 1 at drivers/x.c:1 func" + std::to_string(n) +
         "+0x1/0x2\n[    2.1] ---[ end trace 0000000000000000 ]---\n";
}

TEST(Hostile, DistinctTitlesBeyondTheCapAreCountedNotKept) {
  Limits limits;
  limits.max_titles = 3;
  std::string log;
  for (std::size_t n : {0, 1, 0, 2, 3, 4, 1, 3}) log += numbered_warning(n);
  Scanner s(limits);
  std::size_t callbacks = 0;
  s.on_new_report([&](const Report&) { ++callbacks; });
  s.feed(log);
  s.finish();
  ASSERT_EQ(s.reports().size(), 3u);
  EXPECT_EQ(callbacks, 3u);
  EXPECT_EQ(s.reports()[0].count, 2u);  // a kept title still counts its repeats
  EXPECT_EQ(s.reports()[1].count, 2u);
  EXPECT_EQ(s.overflow().reports, 3u);  // func3, func4, func3 again
  EXPECT_EQ(s.overflow().first_line, 9u);
  std::optional<Report> o = s.overflow_report();
  ASSERT_TRUE(o.has_value());
  EXPECT_STREQ(o->kind.c_str(), kOverflowKind);
  EXPECT_EQ(o->count, 3u);
  EXPECT_EQ(o->line, 9u);
  EXPECT_NE(o->title.find("3 more reports"), std::string::npos) << o->title;

  std::vector<Report> listed = scan_text(log, limits);
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed.back().kind, kOverflowKind);

  // Fed in pieces, the cap gives the same result.
  std::mt19937 rng(7);
  Scanner pieces(limits);
  std::uniform_int_distribution<std::size_t> size(1, 40);
  for (std::size_t pos = 0; pos < log.size();) {
    std::size_t n = std::min(size(rng), log.size() - pos);
    pieces.feed(std::string_view(log).substr(pos, n));
    pos += n;
  }
  pieces.finish();
  expect_same(s.reports(), pieces.reports(), "capped, in pieces");
  EXPECT_EQ(pieces.overflow().reports, 3u);
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(Hostile, MillionDistinctWarningsKeepMemoryBounded) {
  // Streamed, so that the test itself does not hold the log.
  constexpr std::size_t kTitles = 1'000'001;
  long before = peak_rss_kib();
  Scanner s;
  for (std::size_t n = 0; n < kTitles; ++n) s.feed(numbered_warning(n));
  s.finish();
  Limits defaults;
  ASSERT_EQ(s.reports().size(), defaults.max_titles);
  EXPECT_EQ(s.overflow().reports, kTitles - defaults.max_titles);
  EXPECT_EQ(s.reports().back().title, "WARNING in func999");
  // Keeping every title would take hundreds of MiB; the cap keeps the growth
  // of the peak to a few MiB.
  EXPECT_LT(peak_rss_kib() - before, 32 * 1024);
}

}  // namespace
}  // namespace splatscan
