#include "splatscan/scanner.h"

#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "splatscan/internal.h"
#include "splatscan/rules.h"

namespace splatscan {

namespace {

// A header that follows a prelude line ("refcount_t: ...") within this many
// lines, before any frame, belongs to the prelude's report.
constexpr std::size_t kPreludeReach = 12;
// A "Kernel panic - not syncing" this soon after a report is its epilogue.
constexpr std::size_t kEpilogueReach = 400;
// Reports of two tasks that start this close together were printed at the
// same time: a header from another task this soon does not end the first.
constexpr std::size_t kInterleaveReach = 20;
// The text a last-resort report keeps of its line, from the report word on.
std::string last_resort_text(std::string_view line, std::size_t at) {
  constexpr std::size_t kBytes = 512;
  return std::string(trim(line.substr(at, kBytes)));
}
// Unstamped lines in a row that a stamped report passes over as user
// space's; a longer run is kept, as before the kernel lines resume.
constexpr std::size_t kUnstampedReach = 8;
// A trace longer than the report cap (a stack overflow's recursion) keeps
// its last frames, which name the syscall or work that overflowed.
constexpr std::size_t kTailLines = 100;
constexpr std::size_t kTailBytes = 64 * 1024;

bool is_separator(std::string_view b) {
  b = trim(b);
  return b.size() >= 10 && b.find_first_not_of('=') == std::string_view::npos;
}

bool is_cut_here(std::string_view b) {
  return starts_with(trim(b), "------------[ cut here ]");
}

// With printk caller ids, a report is the lines its own caller printed, as
// syzkaller's pkg/report reads it: another task's lines, or another CPU's
// interrupt-context lines, are not part of it, except that once the report
// asks other CPUs for their backtraces ("Sending NMI from CPU ..."), every
// CPU context's lines are (the NMI backtraces it asked for).
bool caller_belongs(std::string_view report_caller, std::string_view line_caller,
                    bool cpu_backtraces) {
  if (report_caller.empty() || line_caller.empty()) return true;
  if (report_caller == line_caller) return true;
  return cpu_backtraces && line_caller[0] == 'C';
}

// arm64 decodes a kernel memory abort between "Unable to handle kernel ..."
// and its "Internal error: Oops" line: the syndrome fields and a page-table
// walk, longer with each kernel release. They are one report's prelude, so
// they do not count towards how far the oops line may follow its header.
bool is_fault_decode(std::string_view b) {
  static constexpr std::string_view kFields[] = {
      "Mem abort info:", "Data abort info:", "ESR = ", "EC = ", "SET = ", "EA = ",
      "FSC = ", "ISV = ", "CM = ", "GCS = ", "swapper pgtable:", "user pgtable:"};
  for (std::string_view f : kFields)
    if (starts_with(b, f)) return true;
  return starts_with(b, "[") && contains(b, "] pgd=");
}

}  // namespace

struct Scanner::Impl {
  Limits limits;
  std::size_t lineno = 0;
  std::string partial;
  bool partial_truncated = false;
  // The last bytes of a line longer than Limits::max_line_bytes, past the
  // head kept in `partial`: a report that starts at the end of a long run
  // of other output on the same line (bytes a program wrote to the console
  // without a newline) is read from here, as syzkaller finds a report
  // wherever it stands in a line. line_far_bytes counts all bytes past the
  // head, kept or not.
  std::string line_far_end;
  std::size_t line_far_bytes = 0;
  // What a report word in the part of a long line kept neither as head nor
  // as far end would make the log's last resort (see last_resort): the
  // middle is read as it passes, in blocks of max_line_bytes counted from
  // the end of the head, so that how the bytes arrive changes nothing.
  std::string middle_word;

  struct Open {
    Header header;
    std::size_t start_line = 0;
    std::string caller;
    std::vector<std::string> raw;
    std::size_t bytes = 0;
    std::size_t since_header = 0;
    bool saw_frame = false;
    bool stamped = false;  // the header carried a printk timestamp
    bool cpu_backtraces = false;  // it asked other CPUs for backtraces
    bool stamped_body = false;    // a line after it was stamped...
    bool unstamped_body = false;  // ...or one was not
    std::size_t unstamped_run = 0;  // unstamped lines passed over in a row
    bool in_trace = false;  // the report's last line was a frame
    // Past the cap: the frames that follow are kept in tail (the last
    // kTailLines of them), and cut counts the ones dropped between.
    bool full = false;
    std::deque<std::string> tail;
    std::size_t tail_bytes = 0;
    std::size_t cut = 0;
  };
  std::optional<Open> open;

  // The previous line, kept for "cut here" and "=====" openers.
  std::string previous;
  std::size_t previous_lineno = 0;
  std::size_t last_report_line = 0;
  bool seen_report = false;
  // The system has run: a timestamped kernel line, a report, or the
  // fuzzer's or a login prompt's output (logs printed without timestamps)
  // has been seen. Before that, boot banners are the log's first boot.
  bool saw_kernel = false;
  // The first line before any report that holds one of syzkaller's report
  // words with none of the notices it passes over (report_word_place):
  // when no row opened a report anywhere in the log, it is one, titled by
  // its words from the report word on (as syzkaller titles a header no
  // format reads), its text the line from there (at most 512 bytes). It is
  // known only when the log ends (finish), so a live reader sees it last.
  std::string last_resort;
  std::size_t last_resort_line = 0;
  bool previous_task_head = false;  // the previous line began "INFO: task " alone
  bool task_head_now = false;

  std::vector<Report> reports;
  std::unordered_map<std::string, std::size_t> by_title;
  Overflow overflow;
  Callback callback;

  void append(std::string_view raw) {
    Open& o = *open;
    if (o.raw.size() >= limits.max_report_lines || o.bytes >= limits.max_report_bytes)
      return;
    o.raw.emplace_back(raw);
    o.bytes += raw.size() + 1;
  }

  void start(Header h, std::string_view raw, std::string_view caller,
             bool take_previous = false) {
    open.emplace();
    open->header = std::move(h);
    open->start_line = lineno;
    open->caller = std::string(caller);
    open->stamped = strip_prefix(raw).stamped;
    if (previous_lineno + 1 == lineno &&
        (take_previous || is_cut_here(strip_prefix(previous).body) ||
         is_separator(strip_prefix(previous).body))) {
      open->raw.push_back(previous);
      open->bytes += previous.size() + 1;
      open->start_line = previous_lineno;
    }
    append(raw);
    seen_report = true;
  }

  void keep_tail(std::string_view raw) {
    Open& o = *open;
    o.tail.emplace_back(raw);
    o.tail_bytes += raw.size();
    while (o.tail.size() > kTailLines || o.tail_bytes > kTailBytes) {
      o.tail_bytes -= o.tail.front().size();
      o.tail.pop_front();
      ++o.cut;
    }
  }

  void close() {
    if (!open) return;
    Open o = std::move(*open);
    open.reset();
    last_report_line = lineno;
    if (o.cut) o.raw.push_back("[splatscan: " + std::to_string(o.cut) + " trace lines cut]");
    for (std::string& t : o.tail) o.raw.push_back(std::move(t));

    std::vector<std::string_view> bodies;
    bodies.reserve(o.raw.size());
    std::size_t header_index = 0;
    for (std::size_t i = 0; i < o.raw.size(); ++i) {
      bodies.push_back(strip_prefix(o.raw[i]).body);
    }
    // Frames are searched from the header line on, not the opener before it.
    if (o.start_line < lineno && !o.raw.empty() &&
        (is_cut_here(bodies[0]) || is_separator(bodies[0])))
      header_index = 1;
    std::vector<std::string_view> from_header(bodies.begin() + header_index, bodies.end());

    Report r;
    r.kind = o.header.kind;
    r.title = o.header.title;
    r.line = o.start_line;
    if (o.header.wants_access || o.header.corrupted) r.corrupted = true;
    if (o.header.frame != FrameRule::kNone) {
      std::string func = guilty_function(o.header, from_header);
      if (func.empty()) {
        r.corrupted = true;
        func = "corrupted";
      }
      r.title += " in " + func;
    }
    r.title = canonical_title(r.title);
    // The kind follows from the title where syzbot's table knows it; the
    // class's own kind stands for the rest.
    if (std::string k = kind_of_title(r.title); !k.empty()) r.kind = std::move(k);
    if (r.kind == "KASAN") r.kind = "KASAN-READ";
    if (r.kind.empty()) r.kind = "BUG";
    for (std::size_t i = 0; i < o.raw.size(); ++i) {
      if (i) r.text += '\n';
      r.text += o.raw[i];
    }
    auto it = by_title.find(r.title);
    if (it != by_title.end()) {
      ++reports[it->second].count;
      return;
    }
    if (reports.size() >= limits.max_titles) {
      if (overflow.reports++ == 0) overflow.first_line = r.line;
      return;
    }
    by_title.emplace(r.title, reports.size());
    reports.push_back(std::move(r));
    if (callback) callback(reports.back());
  }

  // A header hidden in lines merged by lost newlines, before the last inner
  // timestamp ("BUG: unable to handle kernel [  153.6] other text"): in the
  // text before the first one, then in the lines between, in the order
  // printed, as syzkaller's parser finds a report word anywhere in a line.
  // It belongs to the task named before that text, not to the one the last
  // timestamp names.
  struct MergedHeader {
    std::optional<Header> header;
    std::string_view caller;  // the caller id printed before it
  };
  static MergedHeader earlier_header(const LogLine& ll) {
    if (!ll.before.empty()) {
      if (auto h = match_header(ll.before)) return {std::move(h), ll.before_caller};
      if (auto h = match_header_within(ll.before)) return {std::move(h), ll.before_caller};
    }
    if (!ll.middle.empty()) {
      for (const MergedLine& m : merged_lines(ll)) {
        if (auto h = match_header(m.text)) return {std::move(h), m.caller};
        if (auto h = match_header_within(m.text)) return {std::move(h), m.caller};
      }
    }
    return {};
  }

  // A task name may hold a newline, splitting the hung-task header in two:
  // "INFO: task abc" then "def:123 blocked for more than 143 seconds.".
  std::optional<Header> split_hung_task(const LogLine& ll) {
    if (!previous_task_head || previous_lineno + 1 != lineno ||
        !contains(ll.body, " blocked for more than "))
      return std::nullopt;
    std::string_view prev = trim(strip_prefix(previous).body);
    if (!starts_with(prev, "INFO: task ") || contains(prev, " blocked ")) return std::nullopt;
    std::string joined = std::string(prev) + " " + std::string(trim(ll.body));
    return match_header(joined);
  }

  // continues: the head of the log line this is the far end of (see
  // end_line), whose caller and timestamp it shares.
  void line(std::string_view raw, const LogLine* continues = nullptr) {
    ++lineno;
    if (!seen_report && last_resort.empty()) {
      std::size_t at = report_word_place(raw);
      if (at != std::string_view::npos) {
        last_resort = last_resort_text(raw, at);
        last_resort_line = lineno;
      }
    }
    LogLine ll = strip_prefix(raw);
    if (continues) {
      if (ll.caller.empty()) ll.caller = continues->caller;
      ll.stamped = ll.stamped || continues->stamped;
    }
    // Lines merged into one: a report that starts in an earlier one was
    // printed first, so it opens here even when the last one holds a header
    // too; a weak one there (a plain "BUG:" line) does not hide a later one.
    MergedHeader earlier = earlier_header(ll);
    bool earlier_first = earlier.header && !earlier.header->secondary;
    std::optional<Header> h;
    if (!earlier_first) h = match_header(ll.body);
    bool take_previous = false;
    std::string_view header_caller = ll.caller;
    if (!h && earlier.header) {
      h = std::move(earlier.header);
      header_caller = earlier.caller;
    }
    // Any report word inside the last line (match_header_within), e.g.
    // "...user memory accessgeneral protection fault: 0000 [#1]".
    if (!h) h = match_header_within(ll.body);
    if (!h && !open) {
      h = split_hung_task(ll);
      take_previous = h.has_value();
    }
    if (!h) h = match_reboot(ll.body, saw_kernel);
    if (!h && !ll.before.empty()) h = match_reboot(ll.before, saw_kernel);
    saw_kernel = saw_kernel || ll.stamped || seen_report || h.has_value() ||
                 contains(ll.body, "executing program") || contains(ll.body, " login: ");
    task_head_now = !h && starts_with(trim(ll.body), "INFO: task ");

    if (open) {
      Open& o = *open;
      bool mine = caller_belongs(o.caller, header_caller, o.cpu_backtraces);
      if (mine && contains(ll.body, "Sending NMI from CPU")) o.cpu_backtraces = true;
      if (h && o.header.own_line && !h->own_line && !h->family.empty() &&
          h->family == o.header.family && !o.caller.empty() && header_caller == o.caller) {
        // A line no class reads ("WARNING: <words>"), then a header of the
        // same family from the same task: syzkaller's parser reads the title
        // from the first of the family's formats that matches anywhere in
        // the task's lines from the first header on, so the second header
        // names the report. (Without caller ids its report ends where the
        // second header starts, and the first line's own words stand.)
        open.reset();
        start(std::move(*h), raw, header_caller, take_previous);
        remember(raw);
        return;
      }
      if (h) {
        bool absorbed = false;
        if (h->secondary) {
          absorbed = true;
        } else if ((o.header.prelude || h->oops_line) && !o.saw_frame &&
                   o.since_header < kPreludeReach) {
          if (o.header.header_func.empty()) o.header.header_func = h->header_func;
          if (o.header.end == EndRule::kNone) o.header.end = h->end;
          // The WARN() that follows a class line ("ODEBUG: ...") is read as
          // a WARN trap: its RIP line first, then the trace.
          if (o.header.prelude && h->warn_trap) o.header.warn_trap = true;
          absorbed = true;
        } else if (h->prelude && o.header.warn_trap && !o.saw_frame &&
                   o.since_header < kPreludeReach) {
          // The class line ("ODEBUG: ...", "refcount_t: ...") printed just
          // after the WARNING header rather than before it.
          if (o.header.refinable) adopt_class(o.header, *h);
          absorbed = true;
        } else if (mine && o.header.frame == FrameRule::kStall && !o.saw_frame &&
                   h->frame != FrameRule::kStall && o.since_header < kPreludeReach) {
          // A WARNING fired by the stall detector itself while it dumps the
          // stalled tasks is part of the stall's dump, which names it.
          absorbed = true;
        } else if (mine && h->kind == o.header.kind && !o.header.kind.empty() &&
                   !o.saw_frame && o.since_header < kPreludeReach &&
                   o.header.frame != FrameRule::kNone) {
          // A second header of the same class before any frame is the
          // same bug told twice ("BUG: stack guard page was hit" then
          // "kernel stack overflow (double-fault)"): the first one names it.
          // A symboliser repeats a sanitizer's header once per inlined
          // function ("in skb_put_data include/linux/skbuff.h:2293 [inline]",
          // then "in h4_recv_buf+0x3d5/0xd00"): the first with an offset names it.
          if (o.header.header_func.empty()) o.header.header_func = h->header_func;
          absorbed = true;
        }
        if (absorbed) {
          // A Rust panic's message is the line right after its header only.
          o.header.message_next = false;
          if (mine) append(raw);
          ++o.since_header;
          remember(raw);
          return;
        }
        if (o.in_trace && h->frame == FrameRule::kNone && h->end == EndRule::kNone &&
            o.header.frame != FrameRule::kNone) {
          // A one-line message of another task ("unregister_netdevice:
          // waiting for lo to become free") printed between two frames of
          // this report's trace: the trace goes on.
          remember(raw);
          return;
        }
        if (!ll.stamped && o.stamped && o.header.frame != FrameRule::kNone &&
            h->kind == "SYZ_FAILURE") {
          // The fuzzer's own complaint printed into the middle of a kernel
          // report (unstamped, from user space): the report goes on.
          remember(raw);
          return;
        }
        if (!mine && o.header.frame != FrameRule::kNone &&
            lineno - o.start_line < kInterleaveReach) {
          // Another task's report printed over this one's opening lines:
          // this one came first and keeps its lines.
          remember(raw);
          return;
        }
        close();
        start(std::move(*h), raw, header_caller);
        remember(raw);
        return;
      }
      if (mine && !ll.stamped && o.stamped_body && !o.unstamped_body &&
          !trim(ll.body).empty()) {
        // An unstamped line inside a stamped report is user space writing
        // to the console ("executing program"): the kernel's report goes
        // on around it, and a frame's "... at:" note still reads the next
        // kernel line.
        if (++o.unstamped_run <= kUnstampedReach) return;
      }
      o.unstamped_run = 0;
      if (mine && o.full) {
        // Past the cap, only the rest of the trace belongs to the report; a
        // line another caller printed (a task's message in the middle of an
        // interrupt context's trace) neither continues nor ends it.
        if (parse_frame(ll.body)) keep_tail(raw);
        else if (ll.caller.empty() || o.caller.empty() || ll.caller == o.caller) close();
        remember(raw);
        return;
      }
      if (mine) {
        o.stamped_body = o.stamped_body || ll.stamped;
        o.unstamped_body = o.unstamped_body || !ll.stamped;
        refine_header(o.header, ll.body);
        append(raw);
        if (!is_fault_decode(trim(ll.body))) ++o.since_header;
        o.in_trace = parse_frame(ll.body).has_value();
        o.saw_frame = o.saw_frame || o.in_trace;
        std::string_view b = trim(ll.body);
        bool ended = (o.header.end == EndRule::kSeparator && is_separator(b)) ||
                     (o.header.end == EndRule::kEndTrace && starts_with(b, "---[ end trace"));
        if (ended) close();
        else if (o.raw.size() >= limits.max_report_lines || o.bytes >= limits.max_report_bytes)
          o.full = true;
      }
      remember(raw);
      return;
    }

    if (h && !(h->secondary && seen_report && lineno - last_report_line < kEpilogueReach))
      start(std::move(*h), raw, header_caller, take_previous);
    remember(raw);
  }

  void remember(std::string_view raw) {
    previous_task_head = task_head_now;
    // Only short lines can be report openers; do not copy long ones.
    if (raw.size() <= 256) previous.assign(raw.data(), raw.size());
    else previous.clear();
    previous_lineno = lineno;
  }

  void feed(std::string_view bytes) {
    while (!bytes.empty()) {
      const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
      std::size_t n = nl ? static_cast<const char*>(nl) - bytes.data() : bytes.size();
      std::string_view piece = bytes.substr(0, n);
      if (!partial_truncated) {
        std::size_t room = limits.max_line_bytes - partial.size();
        if (piece.size() > room) {
          partial.append(piece.data(), room);
          partial_truncated = true;
          keep_far_end(piece.substr(room));
        } else {
          partial.append(piece.data(), piece.size());
        }
      } else {
        keep_far_end(piece);
      }
      if (!nl) return;
      end_line();
      bytes.remove_prefix(n + 1);
    }
  }

  // Keeps at least the last max_line_bytes of what a long line holds past
  // its head (fewer than twice that); the blocks it lets go are the line's
  // middle.
  void keep_far_end(std::string_view more) {
    const std::size_t cap = limits.max_line_bytes;
    line_far_bytes += more.size();
    while (!more.empty()) {
      std::size_t take = std::min(more.size(), 2 * cap - line_far_end.size());
      line_far_end.append(more.data(), take);
      more.remove_prefix(take);
      if (line_far_end.size() == 2 * cap) {
        look_in_middle(line_far_end, cap);
        line_far_end.erase(0, cap);
      }
    }
  }

  // A report word that starts in the first `block` bytes of `window`, the
  // middle of a long line followed by what comes after it, for the last
  // resort; the notices that pass the word over are looked for in the
  // block and the 1 KiB after it only (a title takes 512 bytes).
  void look_in_middle(std::string_view window, std::size_t block) {
    if (seen_report || !last_resort.empty() || !middle_word.empty() || block == 0) return;
    constexpr std::size_t kAfterBlock = 1024;
    window = window.substr(0, block + kAfterBlock);
    std::size_t at = report_word_place(window);
    if (at >= block) return;  // none, or only in the bytes that follow: read with them
    middle_word = last_resort_text(window, at);
  }

  // Reads the line in `partial`; a line longer than the cap is read as its
  // head, then as its last max_line_bytes under the same line number.
  void end_line() {
    if (line_far_bytes == 0) {
      line(partial);
    } else {
      constexpr std::size_t kSeamWindow = 256;
      std::size_t cap = limits.max_line_bytes;
      std::string_view head = partial;
      std::string_view kept = line_far_end;
      if (kept.size() > cap) {
        look_in_middle(line_far_end, kept.size() - cap);
        kept.remove_prefix(kept.size() - cap);
      }
      std::string tail;
      // A report cut by the head's end is read whole from the tail, when
      // the tail holds everything that followed it.
      std::size_t seam = report_seam(head, kSeamWindow);
      if (seam < head.size() && kept.size() == line_far_bytes) {
        tail.assign(head.substr(seam));
        head = head.substr(0, seam);
      }
      tail.append(kept);
      LogLine first = strip_prefix(head);
      line(head);
      if (!seen_report && last_resort.empty() && !middle_word.empty()) {
        last_resort = std::move(middle_word);
        last_resort_line = lineno;
      }
      if (!trim(tail).empty()) {
        --lineno;
        line(tail, &first);
      }
    }
    partial.clear();
    partial_truncated = false;
    line_far_end.clear();
    line_far_bytes = 0;
    middle_word.clear();
  }

  void finish() {
    if (!partial.empty() || partial_truncated) end_line();
    close();
    if (!seen_report && !last_resort.empty()) {
      Report r;
      r.title = canonical_title(last_resort);
      r.kind = kind_of_title(r.title);
      if (r.kind.empty()) r.kind = "BUG";
      r.line = last_resort_line;
      r.text = last_resort;
      reports.push_back(std::move(r));
      if (callback) callback(reports.back());
    }
  }
};

Scanner::Scanner(Limits limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  if (impl_->limits.max_line_bytes == 0) impl_->limits.max_line_bytes = 1;
}

Scanner::~Scanner() = default;

void Scanner::feed(std::string_view bytes) { impl_->feed(bytes); }

void Scanner::feed_line(std::string_view line) {
  impl_->feed(line);
  impl_->feed("\n");
}

void Scanner::finish() { impl_->finish(); }

bool Scanner::in_report() const { return impl_->open.has_value(); }

void Scanner::on_new_report(Callback cb) { impl_->callback = std::move(cb); }

const std::vector<Report>& Scanner::reports() const { return impl_->reports; }

const Overflow& Scanner::overflow() const { return impl_->overflow; }

std::optional<Report> Scanner::overflow_report() const {
  const Overflow& o = impl_->overflow;
  if (o.reports == 0) return std::nullopt;
  Report r;
  r.kind = kOverflowKind;
  r.title = "splatscan: " + std::to_string(o.reports) + " more report" +
            (o.reports == 1 ? "" : "s") + " with titles beyond the first " +
            std::to_string(impl_->limits.max_titles) + " distinct ones, counted but not kept";
  r.line = o.first_line;
  r.count = o.reports;
  return r;
}

std::vector<Report> scan_text(std::string_view log, Limits limits) {
  Scanner s(limits);
  s.feed(log);
  s.finish();
  std::vector<Report> out = s.reports();
  if (auto o = s.overflow_report()) out.push_back(std::move(*o));
  return out;
}

}  // namespace splatscan
