// Which console lines start a kernel report, and how each class is titled.
#ifndef SPLATSCAN_RULES_H
#define SPLATSCAN_RULES_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splatscan {

// Where the function in "<prefix> in <function>" comes from.
enum class FrameRule {
  kNone,       // the title names no function
  kHeader,     // the function printed in the header line, else the trace
  kIp,         // the faulting instruction pointer, else the trace
  kRipThenTrace,  // the faulting instruction pointer, then the call trace, by syzkaller's
                  // skip words (linux.go's steps); else like kIp
  kTrace,      // innermost frame of the first call trace that is not machinery
  kLockdep,    // like kTrace, from the "stack backtrace:" section
  kHung,       // innermost frame of a blocked task that is not a wait primitive
  kStall,      // outermost frame of the interrupted task that is not entry code
  kLeak,       // innermost allocation caller of a kmemleak backtrace
  kMightSleep, // the caller of might_sleep(), even when it is a generic helper
  kOverflow,   // outermost frame of a stack overflow that is not dispatch
  kDeadlock,   // where lockdep says the new lock is taken, else the held one, else a chain
  kPageOwner,  // who allocated the page (page_owner's trace), else like kTrace
  kLastFunction,  // the work function a workqueue names ("last function:"), else kTrace
  kHeaderThenTrace,  // the header's function unless a skip word names it, else like kTrace
  kCallTrace,  // the first frame after "Call Trace:" no skip word names (linux.go's steps)
  kFirstTrace,  // the first frame of the trace right after the header (KMSAN prints no "Call Trace:")
};

// How a report's end is recognised (besides a new report or the line cap).
enum class EndRule {
  kNone,
  kSeparator,  // a "=====" line, as KASAN, KFENCE, KMSAN and UBSAN print
  kEndTrace,   // "---[ end trace ... ]---"
};

struct Header {
  std::string kind;   // report class, e.g. "WARNING", "LOCKDEP"
  std::string title;  // title without " in <function>"
  FrameRule frame = FrameRule::kTrace;
  EndRule end = EndRule::kNone;
  std::string header_func;  // function named in the header line, if any
  // A line that names a bug class and is followed by the WARNING or BUG
  // header that carries the trace ("refcount_t: underflow", "ODEBUG: ...").
  bool prelude = false;
  // KASAN and KFENCE titles carry the access type from a later line.
  bool wants_access = false;
  // Printed as the last words of an earlier report (panic, reboot): only a
  // report of its own when nothing else was seen.
  bool secondary = false;
  // The WARN() trap's own line ("WARNING: CPU: 0 PID: 1 at file.c:12 func"),
  // which a class line printed just after it ("refcount_t: ...") may name;
  // also a class line ("ODEBUG: ...") whose report took in such a WARNING
  // line after it: either way the report is read as a WARN trap.
  bool warn_trap = false;
  // Still the generic class ("WARNING", "kernel BUG"): a class line printed
  // after the header gives it its title, kind, frame rule and skip list.
  bool refinable = false;
  // The oops handler's own line ("Internal error: Oops - BUG: 0 [#1]",
  // "invalid opcode: 0000 [#1]"), which follows the header of the bug that
  // trapped ("kernel BUG at ...") and is part of its report; a report of
  // its own only when no header came before it.
  bool oops_line = false;
  // kLockdep: the lockdep line that introduces the lock site naming the
  // report ("is trying to release lock"); empty: the backtrace names it.
  std::string site_intro;
  // The lock site is the title as printed, even a frame the class would pass
  // over (a held lock freed while process_one_work holds the work's lock):
  // syzkaller's format for it takes the first "at:" line with no skip list.
  bool site_as_printed = false;
  // The class's own frames to pass over besides the common machinery
  // (glob patterns: "crypto_*", "*_encrypt").
  std::vector<std::string_view> skip;
  // The line after the header holds the title's words: a Rust panic prints
  // "rust_kernel: panicked at file:line:col:", then its message.
  bool message_next = false;
  // The header says a report starts but not what it is (a bare "BUG:" whose
  // words were lost): the report is marked corrupted.
  bool corrupted = false;
  // Titled by its own line because no class reads it ("BUG: <words>",
  // "WARNING: <words>"): a later header of the same family printed by the
  // same task names the report instead (see Scanner).
  bool own_line = false;
  // The report word of syzkaller's the header line starts with ("BUG:",
  // "WARNING:", "INFO:", "Kernel panic", ...); empty for other classes.
  std::string_view family;
};

// Recognises the first line of a report. body is the line without its printk
// prefix. nullopt for ordinary lines, however alarming their wording.
std::optional<Header> match_header(std::string_view body);

// A header that starts inside the line rather than at its start
// ("XFS (dm-0): WARNING: ...", "foo barBUG: KASAN: ..." merged by two
// CPUs), found where syzkaller's pkg/report finds its header words:
// anywhere in a line, unless the line is a notice it passes over.
std::optional<Header> match_header_within(std::string_view body);

// Whether syzkaller's pkg/report would say the line holds a report: the
// place of the first of its report words, in the order of its word table,
// that stands in the line with none of the notices it passes over for that
// word, or npos. This is its test for a crash in a log (containsCrash),
// whatever the words after it; the user-space "general protection fault
// ... error:N" notice is passed over with or without syzkaller's " in ",
// as the rows pass it over (a user-space fault is never a kernel oops).
std::size_t report_word_place(std::string_view line);

// Where to cut the head of a line too long to keep whole so that no report
// is cut with it: the earliest place in its last `window` bytes where a
// printk prefix ('[') or a report word begins, or where the head ends
// inside a report word; head.size() when there is none.
std::size_t report_seam(std::string_view head, std::size_t window);

// The decompressor's "Booting the kernel." anywhere in a line, or a firmware
// banner printed after kernel output (after_kernel): the machine rebooted.
std::optional<Header> match_reboot(std::string_view body, bool after_kernel);

// A line inside an open report that refines its class; e.g. "refcount_t:"
// after a plain WARNING header turns it into "WARNING: refcount bug".
// Returns true when it changed h.
bool refine_header(Header& h, std::string_view body);

// A class line ("refcount_t: ...") that came after a generic WARNING or
// kernel BUG header (h.refinable) names the report: cls's title, kind, frame
// rule and skip list replace h's.
void adopt_class(Header& h, const Header& cls);

// Picks the function for the title from the report's lines (printk prefixes
// already stripped). Empty when none can be found: the report is corrupted.
std::string guilty_function(const Header& h, const std::vector<std::string_view>& lines);

}  // namespace splatscan

#endif
