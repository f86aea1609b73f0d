#include "splatscan/rules.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cctype>
#include <vector>

#include "splatscan/internal.h"

namespace splatscan {

namespace {

// "name+0x1/0x2" or "name()" at the start of s -> "name".
std::string leading_function(std::string_view s) {
  s = trim(s);
  std::size_t i = 0;
  while (i < s.size() &&
         (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.'))
    ++i;
  if (i == 0) return {};
  std::string_view rest = s.substr(i);
  // "name path/file.h:12 [inline]": a symboliser's note of code inlined into
  // the function a later line names with its offset. syzkaller's pkg/report
  // takes a function only with its offset, so an inlined name never titles.
  if (contains(rest, " [inline]")) return {};
  if (!starts_with(rest, "+0x") && !starts_with(rest, "()") && !rest.empty() &&
      rest[0] != ' ')
    return {};
  return normalize_func(s.substr(0, i));
}

// Function after " in " at the end of a header such as
// "BUG: KASAN: use-after-free in foo+0x1/0x2 [module]".
std::string function_after_in(std::string_view s) {
  std::size_t in = s.rfind(" in ");
  if (in == std::string_view::npos) return {};
  return leading_function(s.substr(in + 4));
}

// The text between prefix and " in " (or the end of the line).
std::string_view class_before_in(std::string_view s) {
  std::size_t in = s.find(" in ");
  return trim(in == std::string_view::npos ? s : s.substr(0, in));
}

std::string upper_dashed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '_') out += '-';
    else out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

Header make(std::string kind, std::string title, FrameRule frame,
            EndRule end = EndRule::kNone) {
  Header h;
  h.kind = std::move(kind);
  h.title = std::move(title);
  h.frame = frame;
  h.end = end;
  return h;
}

// Frames each class passes over besides the common machinery, modelled on
// the per-format skip lists of syzkaller's pkg/report (linux.go): the
// functions a class's report always runs through on the way to the caller.
const std::vector<std::string_view> kSkipSpinlock = {
    "*spin_*", "*_lock*", "*_unlock*"};  // the lock primitive that found the bad lock
const std::vector<std::string_view> kSkipSockLock = {
    "*lock_sock*", "*release_sock*"};  // socket locks wrap the lock that went wrong
const std::vector<std::string_view> kSkipRcuUsage = {
    "*rcu*",  // the RCU accessor that checked the condition
    "*kmem*", "*slab*", "*kmalloc*", "*vmalloc*", "*kcalloc*", "*kzalloc*"};  // allocations under RCU
const std::vector<std::string_view> kSkipStaticKey = {
    "*stack*", "*lock*", "*IRQ*"};  // lock initialisation and the trace saving of lockdep
const std::vector<std::string_view> kSkipDeadlock = {
    "*process_one_work*", "*flush_workqueue*", "*drain_workqueue*",
    "*destroy_workqueue*"};  // workqueue plumbing takes the work items' lockdep maps
const std::vector<std::string_view> kSkipPreemptible = {
    "*preempt*", "*debug_*", "*processor_id*", "*this_cpu*"};  // the per-CPU access checks
const std::vector<std::string_view> kSkipUsercopy = {
    "*usercopy*", "*__check*"};  // the hardened usercopy checks
const std::vector<std::string_view> kSkipKernelBug = {
    "skb_*"};  // skb helpers BUG_ON their caller's bad arguments
const std::vector<std::string_view> kSkipRefcount = {
    "*refcount*", "*kobject_*"};  // refcount_t and kobject lifetimes warn for their user
const std::vector<std::string_view> kSkipOdebug = {
    "*debug_*", "*rcu*", "*hrtimer_*", "*timer_*", "*work_*", "*percpu_*",  // users of ODEBUG...
    "*vunmap*", "*vfree*", "*__free_*", "*kobject_*"};  // ...and frees it checks
const std::vector<std::string_view> kSkipKmsan = {
    // Uninit data is used where generic code computes on it; the user that
    // passed it in is named.
    "*_encrypt", "*_decrypt", "crypto_*", "cipher_*", "drbg_*", "rng_*",
    "*alloc_skb*", "netlink_ack", "netlink_rcv_skb"};
const std::vector<std::string_view> kSkipUbsan = {
    "*ubsan*", "*overflow*"};  // the UBSAN handlers and overflow checks
const std::vector<std::string_view> kSkipSchedule = {
    "*schedule*"};  // the scheduler the task switched out in, or that found the bug
const std::vector<std::string_view> kSkipInvalidFree = {
    "*slab_*", "*kfree*", "*vunmap*", "*vfree*"};  // the free paths that found the bad free
const std::vector<std::string_view> kSkipKmallocBug = {
    "*kmalloc*", "*kcalloc*", "*kzalloc*", "*krealloc*", "*vmalloc*", "*slab*",
    "*kmem*"};  // the allocator entry that warned about its caller's size
const std::vector<std::string_view> kSkipVmalloc = {"*vmalloc*"};  // vmalloc warned about the size
const std::vector<std::string_view> kSkipProc = {"*proc_*"};  // procfs registration helpers
const std::vector<std::string_view> kSkipKobject = {"*kobject_*"};  // kobject lifetime helpers
const std::vector<std::string_view> kSkipStackProtector = {"*stack_chk*"};  // the canary check
const std::vector<std::string_view> kSkipRustPanic = {"*rust_begin_unwind*"};  // the panic handler

// WARNING headers name the file; some files mean a specific bug class.
// A class may also need the warning function's prefix (empty: any function),
// since files like mm/slab_common.c warn about unrelated things too.
void classify_warning_file(Header& h, std::string_view file, std::string_view func) {
  struct FileClass {
    std::string_view file;
    std::string_view func;
    std::string_view title;
    std::string_view kind;
    const std::vector<std::string_view>* skip;
  };
  static const FileClass kClasses[] = {
      {"lib/refcount.c", "", "WARNING: refcount bug", "REFCOUNT_WARNING", &kSkipRefcount},
      {"kernel/locking/lockdep.c", "", "WARNING: locking bug", "LOCKDEP", &kSkipSockLock},
      {"kernel/locking/mutex.c", "", "WARNING: locking bug", "LOCKDEP", &kSkipSockLock},
      {"lib/debugobjects.c", "", "WARNING: ODEBUG bug", "WARNING", &kSkipOdebug},
      {"mm/usercopy.c", "", "WARNING: bad usercopy", "WARNING", &kSkipUsercopy},
      {"fs/proc/generic.c", "", "WARNING: proc registration bug", "WARNING", &kSkipProc},
      {"lib/kobject.c", "", "WARNING: kobject bug", "WARNING", &kSkipKobject},
      {"mm/slab_common.c", "kmalloc", "WARNING: kmalloc bug", "WARNING", &kSkipKmallocBug},
      {"mm/util.c", "kvmalloc", "WARNING: kmalloc bug", "WARNING", &kSkipKmallocBug},
      {"mm/vmalloc.c", "__vmalloc_node", "WARNING: zero-size vmalloc", "WARNING", &kSkipVmalloc},
  };
  for (const FileClass& c : kClasses) {
    if (starts_with(file, c.file) && starts_with(func, c.func)) {
      h.title = std::string(c.title);
      h.kind = std::string(c.kind);
      h.skip = *c.skip;
      return;
    }
  }
}

// "WARNING: CPU: 1 PID: 2 at path/file.c:12 func+0x1/0x2",
// "WARNING: at path/file.c:12 func()", or the 6.16+ form
// "WARNING: path/file.c:12 at func+0x1/0x2, CPU#0: comm/2".
std::optional<Header> match_warning(std::string_view b) {
  std::string_view rest = b.substr(9);  // after "WARNING: "
  // "WARNING: [T123] path/file.c:12 at func": a caller id printed inside.
  if (starts_with(rest, "[") && rest.find("] ") != std::string_view::npos)
    rest = trim(rest.substr(rest.find("] ") + 2));
  std::string_view file;
  std::string func;
  if (starts_with(rest, "CPU: ") || starts_with(rest, "at ")) {
    std::size_t at = rest.find("at ");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view loc = rest.substr(at + 3);
    std::size_t sp = loc.find(' ');
    file = loc.substr(0, sp);
    if (sp != std::string_view::npos) func = leading_function(loc.substr(sp + 1));
  } else {
    std::size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    file = rest.substr(0, sp);
    if (!starts_with(rest.substr(sp), " at ")) return std::nullopt;
    func = leading_function(rest.substr(sp + 4));
  }
  // A file:line location distinguishes a WARN() splat from prose.
  std::size_t colon = file.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= file.size() ||
      !std::isdigit(static_cast<unsigned char>(file[colon + 1])) ||
      !contains(file, "."))
    return std::nullopt;
  Header h = make("WARNING", "WARNING", FrameRule::kHeader, EndRule::kEndTrace);
  h.header_func = func;
  h.warn_trap = true;
  classify_warning_file(h, file, func);
  if (h.title != "WARNING") h.frame = FrameRule::kTrace;
  h.refinable = h.title == "WARNING";
  return h;
}

// "WARNING: kernel stack regs at ffff8801d100fea8 in comm:123 has bad 'bp'
// value ..." names the register when the address is printed; with a hashed
// "(ptrval)" address both forms are one title, as syzbot words them.
std::string kernel_stack_title(std::string_view b, std::string_view fallback) {
  std::size_t at = b.find(" at ");
  std::string_view addr = at == std::string_view::npos ? std::string_view() : trim(b.substr(at + 4));
  addr = addr.substr(0, addr.find(' '));
  bool hex = !addr.empty();
  for (char c : addr) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  if (!hex) return "WARNING: kernel stack regs has bad value";
  std::size_t q = b.find("has bad '");
  if (starts_with(b, "WARNING: kernel stack regs") && q != std::string_view::npos) {
    std::string_view reg = b.substr(q + 9);
    reg = reg.substr(0, reg.find('\''));
    return "WARNING: kernel stack regs has bad '" + std::string(reg) + "' value";
  }
  return std::string(fallback);
}

bool is_kasan_free_class(std::string_view type) {
  return type == "double-free" || type == "invalid-free" ||
         type == "double-free or invalid-free";
}

// Every bad free is titled "invalid-free", as syzbot does: whether KASAN
// calls it a double-free depends on the allocator's state, not on the bug.
std::string kasan_free_class(std::string_view type) {
  if (is_kasan_free_class(type)) return "invalid-free";
  return std::string(type);
}

std::optional<Header> match_sanitizer(std::string_view b) {
  if (starts_with(b, "BUG: KASAN: ")) {
    std::string_view type = class_before_in(b.substr(12));
    // 4.x kernels: "BUG: KASAN: use-after-free on address ffff8800..."
    // names no function; syzkaller titles these by bug type and access.
    std::size_t on = type.find(" on address");
    if (on != std::string_view::npos) {
      Header h = make("KASAN", "KASAN: " + std::string(type.substr(0, on)), FrameRule::kNone,
                      EndRule::kSeparator);
      h.wants_access = true;
      return h;
    }
    Header h = make("", "KASAN: " + kasan_free_class(type), FrameRule::kHeaderThenTrace,
                    EndRule::kSeparator);
    h.header_func = function_after_in(b);
    h.wants_access = !is_kasan_free_class(type);
    if (is_kasan_free_class(type)) h.skip = kSkipInvalidFree;
    h.kind = is_kasan_free_class(type) ? "KASAN-INVALID-FREE" : "KASAN";
    return h;
  }
  if (starts_with(b, "BUG: KFENCE: ")) {
    std::string_view type = class_before_in(b.substr(13));
    Header h = make("KFENCE-" + upper_dashed(type), "KFENCE: " + std::string(type),
                    FrameRule::kHeaderThenTrace, EndRule::kSeparator);
    if (starts_with(type, "out-of-bounds "))
      h.kind = "KFENCE-" + upper_dashed(type.substr(14));
    h.header_func = function_after_in(b);
    return h;
  }
  if (starts_with(b, "BUG: KMSAN: ")) {
    std::string_view type = class_before_in(b.substr(12));
    Header h = make(contains(type, "infoleak") ? "KMSAN-INFO-LEAK" : "KMSAN-" + upper_dashed(type),
                    "KMSAN: " + std::string(type), FrameRule::kFirstTrace, EndRule::kSeparator);
    h.header_func = function_after_in(b);
    h.skip = kSkipKmsan;
    return h;
  }
  if (starts_with(b, "BUG: KCSAN: ")) {
    std::string_view rest = b.substr(12);
    std::string_view type = class_before_in(rest);
    // The header names both racing functions: the header's own words are
    // the title, as syzkaller takes them (no frame is read, so a syscall
    // wrapper keeps its prefix: "__se_sys_pivot_root"); the title clean-up
    // drops the offsets.
    std::string title = "KCSAN: " + std::string(trim(rest));
    return make(starts_with(type, "assert") ? "KCSAN-ASSERT" : "KCSAN-DATARACE", title,
                FrameRule::kNone, EndRule::kSeparator);
  }
  if (starts_with(b, "UBSAN: ")) {
    std::string type(class_before_in(b.substr(7)));
    if (type == "Undefined behaviour") type = "undefined-behaviour";
    Header h = make(type == "array-index-out-of-bounds" ? "MEMORY_SAFETY_UBSAN" : "UBSAN",
                    "UBSAN: " + type, FrameRule::kCallTrace, EndRule::kSeparator);
    h.skip = kSkipUbsan;
    return h;
  }
  return std::nullopt;
}

// Notices that say "WARNING:" but report no bug: configuration and
// deprecation messages of a healthy system. syzkaller's pkg/report ignores
// the same ones (the WARNING oops's ignore list in pkg/report/linux.go):
// each is its pattern read as text that must appear in the line, its second
// part (when there is one) somewhere after its first, where the pattern has
// ".*" between them.
struct BenignNotice {
  std::string_view first, then;
  bool any_case = false;  // syzkaller's pattern is case-insensitive
};
constexpr BenignNotice kBenignWarnings[] = {
    {"WARNING: /etc/ssh/moduli does not exist, using fixed modulus", ""},  // sshd at boot
    {"WARNING: workqueue cpumask: online intersect > possible intersect", ""},  // workqueue setup
    {"WARNING: The mand mount option", ""},  // deprecated mount option
    {"WARNING: the mand mount option", ""},
    // Dumping glibc's ELF flags. syzkaller passes over only this literal
    // text (a format string printed unexpanded); with a value it reports it.
    {"WARNING: Unsupported flag value(s) of 0x%x in DT_FLAGS_1", ""},
    {"WARNING: Unprivileged eBPF is enabled with eIBRS", ""},  // Spectre mitigation notice
    {"WARNING: fbcon: Driver '", "' missed to adjust virtual screen size ("},  // fbcon screen size
    {"WARNING: See https", " for mitigation options."},  // a CPU bug's mitigation notice
    {"WARNING: kernel not compiled with CPU_SRSO", ""},  // mitigation not built in
    // A program's old capset or wext use, in any case (syslog daemons that
    // upper-case lines); the others are reports when upper-cased.
    {"warning: ", " uses deprecated v2 capabilities", true},
    {"warning: ", " uses wireless extensions", true},
};

// A "WARNING: " line that no class above knows and that no benign notice
// explains is a report of its own, titled by its own words, as syzkaller's
// pkg/report titles a header no format matches (a one-line warning of a
// subsystem: "WARNING: ... bad value ..."). It carries no trace to name.
bool benign_warning(std::string_view b) {
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string folded;
  for (const BenignNotice& n : kBenignWarnings) {
    std::string_view line = b;
    if (n.any_case) {
      if (folded.empty()) folded = lower(b);
      line = folded;
    }
    std::size_t at = line.find(n.first);
    if (at == std::string_view::npos) continue;
    if (n.then.empty() || line.find(n.then, at + n.first.size()) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<Header> match_plain_warning(std::string_view b) {
  if (benign_warning(b)) return std::nullopt;
  std::string_view words = trim(b.substr(8));
  if (words.empty()) return std::nullopt;
  Header h = make("WARNING", std::string(trim(b)), FrameRule::kNone);
  h.own_line = true;
  return h;
}

// "BUG: " lines no class above knows, and SLUB's "BUG kmalloc-64 (...):
// ..." reports: titled by their own words, as for a plain WARNING and as
// syzkaller's pkg/report titles a BUG header no format matches. The one it
// passes over (its BUG oops's ignore list) is passed over here; the others
// there ("ODEBUG:", "DEBUG:", ...) never start a line with "BUG". There is
// no plain "INFO: " row: tried three times, it changed no title of the tuning part
// or of the mailing-list sets, and lowered the validation part's by one.
std::optional<Header> match_plain_bug(std::string_view b) {
  if (starts_with(b, "BUG: no syscalls can create resource")) return std::nullopt;  // the fuzzer's host check
  std::string_view words = trim(b.substr(b.find(' ') + 1));
  if (words.empty()) return std::nullopt;
  Header h = make("BUG", std::string(trim(b)), FrameRule::kNone);
  h.own_line = true;
  // Weak words: inside or just after another report they are its detail
  // (old KASAN reports print SLUB's "BUG kmalloc-64 (...)" and "INFO:
  // Object ..." lines before their trace), a report only on their own.
  h.secondary = true;
  return h;
}

std::optional<Header> match_panic(std::string_view b) {
  static constexpr std::string_view kPanic = "Kernel panic - not syncing: ";
  if (!starts_with(b, kPanic)) return std::nullopt;
  std::string_view msg = trim(b.substr(kPanic.size()));
  Header h = make("DoS", "", FrameRule::kNone);
  h.secondary = true;
  static constexpr std::string_view kStackProt = "stack-protector: Kernel stack is corrupted in: ";
  if (starts_with(msg, kStackProt)) {
    // The function whose canary was overwritten names the report, even a
    // lock or library function (syzkaller's format reads no trace when
    // the header names one); for an unsymbolised address the trace does.
    h.title = "kernel panic: stack is corrupted";
    h.secondary = false;
    std::string func = leading_function(msg.substr(kStackProt.size()));
    bool address = !func.empty() && func.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!func.empty() && !address) {
      h.title += " in " + func;
      return h;
    }
    h.frame = FrameRule::kCallTrace;
    h.skip = kSkipStackProtector;
    return h;
  }
  if (starts_with(msg, "kernel stack overflow")) {
    h.title = "kernel stack overflow";
    h.frame = FrameRule::kOverflow;
    h.secondary = false;
    return h;
  }
  if (starts_with(msg, "corrupted stack end detected inside scheduler")) {
    // An overflow builds up over a long call chain: see FrameRule::kOverflow.
    h.title = "kernel panic: corrupted stack end";
    h.frame = FrameRule::kOverflow;
    h.secondary = false;
    return h;
  }
  // Messages with a fixed title, as syzkaller words them; the last three
  // follow the report that caused them, so alone they mean that report was
  // lost (corrupted).
  struct Fixed {
    std::string_view start, title;
    bool corrupted;
  };
  static constexpr Fixed kFixed[] = {
      {"Attempted to kill init!", "kernel panic: Attempted to kill init!", false},
      {"Couldn't open N_TTY ldisc for ", "kernel panic: Couldn't open N_TTY ldisc", false},
      {"Fatal exception", "kernel panic: Fatal exception", true},
      {"panic_on_warn set", "kernel panic: panic_on_warn set", true},
      {"hung_task: blocked tasks", "kernel panic: hung_task: blocked tasks", true},
  };
  for (const Fixed& f : kFixed) {
    if (starts_with(msg, f.start)) {
      h.title = std::string(f.title);
      h.corrupted = f.corrupted;
      return h;
    }
  }
  // Any other message is the title as printed (canonical_title takes out
  // its numbers).
  h.title = "kernel panic: " + std::string(msg);
  return h;
}

struct ClassRow;
// Computes a class's header from the line when its title is not fixed text
// (the KASAN bug type, the WARNING's file, the panic message); nullopt: the
// row does not apply after all and the next one is tried.
using Build = std::optional<Header> (*)(std::string_view line, const ClassRow& row);

// One report class: the matcher (the header line starts with `line` and
// holds each of `also`), the title ("<title> in <function>" unless the frame
// rule is kNone), the kind, the frame rule, the class's own frames to pass
// over besides the common machinery, and the end rule. Rows are tried in
// order; the first that matches names the report.
struct ClassRow {
  std::string_view line;
  std::string_view title;
  std::string_view kind;
  FrameRule frame = FrameRule::kNone;
  EndRule end = EndRule::kNone;
  std::array<std::string_view, 2> also = {};
  std::vector<std::string_view> skip;  // glob patterns, see Header::skip
  std::string_view site_intro;         // see Header::site_intro
  bool site_as_printed = false;        // see Header::site_as_printed
  bool prelude = false;                // see Header::prelude
  bool oops_line = false;              // see Header::oops_line
  Build build = nullptr;

  ClassRow(std::string_view l, std::string_view t, std::string_view k, FrameRule f)
      : line(l), title(t), kind(k), frame(f) {}
  ClassRow& ends(EndRule e) { end = e; return *this; }
  ClassRow& holding(std::string_view a, std::string_view b = {}) { also = {a, b}; return *this; }
  ClassRow& skipping(std::vector<std::string_view> s) { skip = std::move(s); return *this; }
  ClassRow& intro(std::string_view s) { site_intro = s; return *this; }
  ClassRow& intro_as_printed(std::string_view s) { site_intro = s; site_as_printed = true; return *this; }
  ClassRow& as_prelude() { prelude = true; return *this; }
  ClassRow& as_oops_line() { oops_line = true; return *this; }
  ClassRow& built_by(Build b) { build = b; return *this; }
};

Header header_from(const ClassRow& r) {
  Header h = make(std::string(r.kind), std::string(r.title), r.frame, r.end);
  h.site_intro = std::string(r.site_intro);
  h.site_as_printed = r.site_as_printed;
  h.skip = r.skip;
  h.prelude = r.prelude;
  h.oops_line = r.oops_line;
  // An oops prints "---[ end trace ]---" after the trace.
  if (h.end == EndRule::kNone && (h.frame == FrameRule::kIp || h.frame == FrameRule::kRipThenTrace ||
                                   h.frame == FrameRule::kOverflow))
    h.end = EndRule::kEndTrace;
  return h;
}

// Builders of the rows whose title is computed.
std::optional<Header> build_rust_panic(std::string_view, const ClassRow& row) {
  // Titled by the line right after the header, the panic message (syzkaller's
  // format for Rust panics: "<message> in <function>", the message being
  // whatever line follows, as its report pattern reads it); when a header
  // follows instead, the header's own words stand. The BUG() the panic
  // handler calls next is part of the report.
  Header h = header_from(row);
  h.message_next = true;
  return h;
}
std::optional<Header> build_sanitizer(std::string_view b, const ClassRow&) {
  return match_sanitizer(b);
}
std::optional<Header> build_warning(std::string_view b, const ClassRow&) {
  return match_warning(b);
}
std::optional<Header> build_plain_warning(std::string_view b, const ClassRow&) {
  return match_plain_warning(b);
}
std::optional<Header> build_plain_bug(std::string_view b, const ClassRow&) {
  return match_plain_bug(b);
}
// A line opened by one of syzkaller's report words that its row does not
// read ("Kernel panic" cut before its message, "kernel BUG" without "at", an
// "unregister_netdevice: waiting for" cut before its device): titled by the
// line itself, as syzkaller's pkg/report titles a header no format
// matches; weak, as a plain BUG is. The other words' rows read any line they
// open; "BUG:" and "WARNING:" have their own plain rows, with the notices
// that are no report; "INFO: " has one for upper-cased lines only (see
// build_upper_cased_info), and the scanner's last resort for the rest.
std::optional<Header> build_line_as_title(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  h.title = std::string(trim(b));
  h.secondary = true;
  h.own_line = true;
  return h;
}
// An "INFO: " line a syslog daemon upper-cased ("INFO: TASK SYZ:123 BLOCKED
// FOR MORE THAN 143 SECONDS."): syzkaller's formats are case-sensitive, so
// none reads it and its pkg/report titles it by the line itself. Only the
// upper-cased form: a plain "INFO: " row for every line was tried three
// times and read one validation log worse (see match_plain_bug).
std::optional<Header> build_upper_cased_info(std::string_view b, const ClassRow& r) {
  std::string_view words = trim(b.substr(5));
  bool letters = false;
  for (char c : words) {
    if (std::islower(static_cast<unsigned char>(c))) return std::nullopt;
    letters = letters || std::isupper(static_cast<unsigned char>(c));
  }
  if (!letters) return std::nullopt;
  return build_line_as_title(b, r);
}
// "Kernel BUG at f+0x1/0x2 [verbose debug info unavailable]" (powerpc and
// older kernels): the rest of the line, as "kernel BUG ...".
std::optional<Header> build_capital_kernel_bug(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  h.title = "kernel BUG " + std::string(trim(b.substr(11)));
  return h;
}
std::optional<Header> build_panic(std::string_view b, const ClassRow&) {
  return match_panic(b);
}
// "WARNING: kernel stack regs at ..." names the register (kernel_stack_title).
std::optional<Header> build_kernel_stack(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  h.title = kernel_stack_title(b, r.title);
  return h;
}
// "BUG: Dentry ... still in use (1) [unmount of ramfs ramfs]": the operation
// in brackets is all that names it.
std::optional<Header> build_dentry(std::string_view, const ClassRow& r) {
  Header h = header_from(r);
  h.header_func = "unmount";
  return h;
}
// "BUG: using smp_processor_id() in preemptible [00000000] code: ...".
std::optional<Header> build_preemptible(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  h.title = "BUG: using " + std::string(b.substr(11, b.find(" in preemptible") - 11)) +
            " in preemptible code";
  return h;
}
// SLUB debugging's object history: "INFO: Allocated in f+0x1/0x2 age=1 cpu=0 pid=9".
std::optional<Header> build_slub_history(std::string_view b, const ClassRow& r) {
  std::size_t in = b.find(" in ");
  std::string func = leading_function(b.substr(in + 4));
  std::size_t age = b.find(" age=");
  if (func.empty() || age == std::string_view::npos) return std::nullopt;
  Header h = header_from(r);
  h.title = std::string(b.substr(0, in + 4)) + func + std::string(b.substr(age));
  return h;
}
// "fatal error: ..." of the Go runtime; ALSA's sequencer prints "fatal
// error: cannot create timer" on healthy systems (syzkaller ignores it too).
std::optional<Header> build_go_fatal(std::string_view b, const ClassRow& r) {
  if (starts_with(b, "fatal error: cannot create timer")) return std::nullopt;
  return header_from(r);
}
// A user-space fault the trap handler notes ("general protection fault
// ip:4a9c7b sp:7ffd error:0 in syz-executor[400000+1000]"), not an oops.
bool user_trap(std::string_view body) {
  std::size_t e = body.find(" error:");
  return e != std::string_view::npos && e + 7 < body.size() &&
         std::isdigit(static_cast<unsigned char>(body[e + 7]));
}

// A general protection fault stays one when KASAN adds "null-ptr-deref in
// range" under it: syzbot titles it "general protection fault in ...".
std::optional<Header> build_gpf(std::string_view b, const ClassRow& r) {
  if (user_trap(b)) return std::nullopt;
  return header_from(r);
}
// "kernel BUG at file.c:12!": still generic; a class line may follow.
std::optional<Header> build_kernel_bug(std::string_view, const ClassRow& r) {
  Header h = header_from(r);
  h.refinable = true;
  return h;
}
// A bare "BUG:", "WARNING:" or "INFO:" line: a report began but its words
// were lost (a console that dropped the rest of the line). It is still a
// report, titled "<words>: corrupted" as syzkaller's pkg/report titles it
// (its "BUG:[[:space:]]*$" formats in linux.go).
std::optional<Header> build_bare(std::string_view b, const ClassRow& r) {
  if (b != r.line) return std::nullopt;
  Header h = header_from(r);
  h.corrupted = true;
  return h;
}
// Reports titled by their own words: failures of the fuzzer's own executor
// ("SYZFAIL: ...") and Go panics ("panic: ..."); canonical_title takes out
// what differs from run to run.
std::optional<Header> build_own_words(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  h.title = std::string(b);
  return h;
}

// A panic of Trusty, Android's trusted OS, as its driver relays it:
// "trusty: panic (<who>): ASSERT FAILED at (<where>): <what>" is titled
// "trusty: ASSERT FAILED: <what>", any other "trusty: panic (<who>): <what>"
// "trusty: panic: <what>" (syzkaller's formats for them). An assertion whose
// words are not laid out so is titled by what follows its last colon and
// marked corrupted; any other panic not laid out so, by its own line.
std::optional<Header> build_trusty(std::string_view b, const ClassRow& r) {
  Header h = header_from(r);
  std::string_view rest = b.substr(r.line.size());
  std::size_t assert_at = rest.find("ASSERT FAILED");
  if (assert_at != std::string_view::npos) {
    std::size_t where = rest.find("ASSERT FAILED at (", assert_at);
    std::size_t what = where == std::string_view::npos ? where : rest.find("): ", where);
    if (starts_with(rest, " (") && what != std::string_view::npos) {
      h.title = "trusty: ASSERT FAILED: " + std::string(trim(rest.substr(what + 3)));
      return h;
    }
    std::size_t colon = rest.rfind(':');
    std::string_view words = colon == std::string_view::npos || colon < assert_at
                                 ? std::string_view()
                                 : trim(rest.substr(colon + 1));
    h.title = "trusty: ASSERT FAILED: " + std::string(words);
    h.corrupted = true;
    return h;
  }
  std::size_t what = rest.find("): ");
  if (starts_with(rest, " (") && what != std::string_view::npos) {
    h.title = "trusty: panic: " + std::string(trim(rest.substr(what + 3)));
    return h;
  }
  h.title = std::string(b);
  h.corrupted = true;
  return h;
}

// die()'s own line on MIPS and LoongArch, "<what>[#<n>]:" ("Oops[#1]:",
// "Kernel ade access[#1]:", "Unhandled kernel unaligned access[#1]:"; see
// arch/{mips,loongarch}/kernel/traps.c). A fault there prints no other
// header first, so the line opens the report, titled "<what> in
// <function>"; after another header it is that report's oops line. The
// shape, not a list of words, since every trap passes its own words.
std::optional<Header> match_die_line(std::string_view b) {
  if (b.size() < 6 || b.back() != ':' || b[b.size() - 2] != ']') return std::nullopt;
  std::size_t open = b.rfind("[#");
  if (open == std::string_view::npos || open == 0 || open > 64) return std::nullopt;
  std::string_view number = b.substr(open + 2, b.size() - 2 - (open + 2));
  if (number.empty()) return std::nullopt;
  for (char c : number)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  // Every die() string of those architectures starts with a capital
  // ("Oops", "Kernel ...", "Unhandled ..."), which also keeps out a
  // driver's own "queue[#1]:".
  std::string_view what = b.substr(0, open);
  if (!std::isupper(static_cast<unsigned char>(what.front())) || what.back() == ' ') return std::nullopt;
  for (char c : what)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ' ' && c != '-' && c != '_') return std::nullopt;
  static const ClassRow kDie("", "", "DoS", FrameRule::kRipThenTrace);
  Header h = header_from(kDie);
  h.title = std::string(what);
  h.oops_line = true;
  return h;
}

// The report classes. Rows whose title is computed have a builder.
const std::vector<ClassRow>& class_rows() {
  using F = FrameRule;
  using E = EndRule;
  static const std::vector<ClassRow> kRows = {
      // SLUB's own report of a double free.
      ClassRow("BUG ", "BUG: Object already free", "DoS", F::kNone).holding("): Object already free"),
      // Named where the first lock still held was taken.
      ClassRow("WARNING: ", "WARNING: still has locks held", "LOCKDEP", F::kLockdep).holding(" still has locks held").intro("#0: "),
      ClassRow("BUG: ", "BUG: still has locks held", "LOCKDEP", F::kLockdep).holding(" still has locks held").intro("#0: "),
      ClassRow("BUG: ", "BUG: stack guard page was hit", "DoS", F::kOverflow).holding("stack guard page was hit"),
      // Sanitizers: the bug type is part of the title.
      ClassRow("BUG: KASAN: ", "", "", F::kHeaderThenTrace).built_by(build_sanitizer),
      ClassRow("BUG: KFENCE: ", "", "", F::kHeaderThenTrace).built_by(build_sanitizer),
      ClassRow("BUG: KMSAN: ", "", "", F::kTrace).built_by(build_sanitizer),
      ClassRow("BUG: KCSAN: ", "", "", F::kNone).built_by(build_sanitizer),
      ClassRow("UBSAN: ", "", "", F::kTrace).built_by(build_sanitizer),
      // Page faults in kernel mode, x86 and the arm wording.
      ClassRow("BUG: unable to handle kernel paging request", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("BUG: unable to handle page fault", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("BUG: Unable to handle kernel data access", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("BUG: Unable to handle kernel instruction fetch", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("Unable to handle kernel paging request", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("BUG: unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", F::kRipThenTrace),
      ClassRow("BUG: kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", F::kRipThenTrace),
      // powerpc's wording ("... on read at 0xc8"), named from its NIP line.
      ClassRow("BUG: Kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", F::kRipThenTrace),
      ClassRow("Unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", F::kRipThenTrace),
      // The second half of the header lost: no class, no function.
      ClassRow("BUG: unable to handle kernel", "BUG: unable to handle kernel", "", F::kNone).ends(E::kEndTrace),
      // Stalls and hangs.
      ClassRow("BUG: soft lockup", "BUG: soft lockup", "HANG", F::kStall),
      // The hard-lockup detectors (kernel/watchdog.c; powerpc's own in
      // arch/powerpc/kernel/watchdog.c), which linux.go has no words for:
      // named where the stuck CPU was interrupted (its RIP or NIP line).
      // Kernels before 4.5 printed the generic one as a WARN()'s message:
      // as an oops line it is then part of that WARNING's report.
      ClassRow("Watchdog detected hard LOCKUP on cpu ", "hard LOCKUP", "HANG", F::kRipThenTrace).as_oops_line(),
      ClassRow("CPU", "hard LOCKUP", "HANG", F::kRipThenTrace).holding(": Watchdog detected hard LOCKUP on cpu ").as_oops_line(),
      ClassRow("CPU ", "hard LOCKUP", "HANG", F::kRipThenTrace).holding(" self-detected hard LOCKUP @ "),
      ClassRow("CPU ", "hard LOCKUP on other CPUs", "HANG", F::kNone).holding(" detected hard LOCKUP on other CPUs"),
      ClassRow("INFO: task ", "INFO: task hung", "HANG", F::kHung).holding(" blocked ", "for more than "),
      ClassRow("INFO: task ", "INFO: task can't die", "HANG", F::kCallTrace).holding("can't die").skipping(kSkipSchedule),
      ClassRow("INFO: rcu_", "INFO: rcu detected stall", "HANG", F::kStall).holding("stall"),
      // kmemleak; the "unreferenced object" line follows.
      ClassRow("BUG: memory leak", "memory leak", "LEAK", F::kLeak).as_prelude(),
      ClassRow("rust_kernel: panicked at ", "rust_kernel: panicked", "BUG", F::kCallTrace).skipping(kSkipRustPanic).as_prelude().built_by(build_rust_panic),
      ClassRow("BUG: Dentry ", "BUG: Dentry still in use", "BUG", F::kHeader).holding("[unmount of ").built_by(build_dentry),
      ClassRow("BUG: using ", "", "LOCKDEP", F::kCallTrace).holding(" in preemptible").skipping(kSkipPreemptible).built_by(build_preemptible),
      ClassRow("INFO: Allocated in ", "", "", F::kNone).built_by(build_slub_history),
      ClassRow("INFO: Freed in ", "", "", F::kNone).built_by(build_slub_history),
      // Lockdep and related checkers: fixed sentences, one per bug class.
      ClassRow("WARNING: possible circular locking dependency detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: possible recursive locking detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: possible irq lock inversion dependency detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: HARDIRQ-READ-safe -> HARDIRQ-READ-unsafe lock order detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: SOFTIRQ-READ-safe -> SOFTIRQ-READ-unsafe lock order detected", "possible deadlock", "LOCKDEP", F::kDeadlock).skipping(kSkipDeadlock),
      ClassRow("WARNING: inconsistent lock state", "inconsistent lock state", "LOCKDEP", F::kCallTrace),
      // Older kernels' "[ INFO: inconsistent lock state ]" is named by the
      // lock site under "takes:", as syzkaller's format for it reads it.
      ClassRow("INFO: inconsistent lock state", "inconsistent lock state", "LOCKDEP", F::kLockdep).intro("takes:"),
      ClassRow("WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage", "LOCKDEP", F::kCallTrace).skipping(kSkipRcuUsage),
      ClassRow("INFO: suspicious RCU usage", "INFO: suspicious RCU usage", "LOCKDEP", F::kCallTrace).skipping(kSkipRcuUsage),
      // Named where the freed lock was taken.
      ClassRow("WARNING: held lock freed", "WARNING: held lock freed", "LOCKDEP", F::kLockdep).intro_as_printed("with a lock still held"),
      ClassRow("BUG: held lock freed", "BUG: held lock freed", "LOCKDEP", F::kLockdep).intro_as_printed("with a lock still held"),
      // Named where the unbalanced unlock is.
      ClassRow("WARNING: bad unlock balance detected", "WARNING: bad unlock balance", "LOCKDEP", F::kLockdep).intro("is trying to release lock"),
      ClassRow("BUG: bad unlock balance detected", "BUG: bad unlock balance", "LOCKDEP", F::kLockdep).intro("is trying to release lock"),
      // Named where the first lock still held was taken.
      ClassRow("WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space", "LOCKDEP", F::kLockdep).intro("#0: "),
      ClassRow("BUG: lock held when returning to user space", "BUG: lock held when returning to user space", "LOCKDEP", F::kLockdep).intro("#0: "),
      ClassRow("WARNING: nested lock was not taken", "WARNING: nested lock was not taken", "LOCKDEP", F::kLockdep),
      ClassRow("WARNING: Nested lock was not taken", "WARNING: nested lock was not taken", "LOCKDEP", F::kLockdep),
      ClassRow("WARNING: lock held by", "WARNING: lock held", "LOCKDEP", F::kLockdep),
      ClassRow("INFO: trying to register non-static key", "INFO: trying to register non-static key", "LOCKDEP", F::kCallTrace).skipping(kSkipStaticKey),
      ClassRow("BUG: MAX_LOCKDEP_KEYS too low", "BUG: MAX_LOCKDEP_KEYS too low!", "LOCKDEP", F::kNone),
      ClassRow("BUG: MAX_LOCKDEP_ENTRIES too low", "BUG: MAX_LOCKDEP_ENTRIES too low!", "LOCKDEP", F::kNone),
      ClassRow("BUG: MAX_LOCKDEP_CHAINS too low", "BUG: MAX_LOCKDEP_CHAINS too low!", "LOCKDEP", F::kNone),
      ClassRow("BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low", "BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low!", "LOCKDEP", F::kNone),
      ClassRow("BUG: MAX_STACK_TRACE_ENTRIES too low", "BUG: MAX_STACK_TRACE_ENTRIES too low!", "LOCKDEP", F::kNone),
      ClassRow("BUG: spinlock bad magic", "BUG: spinlock bad magic", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock lockup suspected", "BUG: spinlock lockup suspected", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock already unlocked", "BUG: spinlock already unlocked", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock recursion", "BUG: spinlock recursion", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock wrong owner", "BUG: spinlock wrong owner", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock wrong CPU", "BUG: spinlock wrong CPU", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: spinlock cpu recursion", "BUG: spinlock cpu recursion", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: rwlock bad magic", "BUG: rwlock bad magic", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: rwlock recursion", "BUG: rwlock recursion", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: rwlock wrong owner", "BUG: rwlock wrong owner", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: rwlock lockup suspected", "BUG: rwlock lockup suspected", "LOCKDEP", F::kCallTrace).skipping(kSkipSpinlock),
      ClassRow("BUG: Invalid wait context", "WARNING: locking bug", "LOCKDEP", F::kCallTrace).skipping(kSkipSockLock),
      ClassRow("BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic", "LOCKDEP", F::kLastFunction),
      // Other fixed sentences.
      ClassRow("BUG: sleeping function called from invalid context", "BUG: sleeping function called from invalid context", "ATOMIC_SLEEP", F::kMightSleep),
      ClassRow("BUG: scheduling while atomic", "BUG: scheduling while atomic", "ATOMIC_SLEEP", F::kCallTrace).skipping(kSkipSchedule),
      ClassRow("BUG: workqueue lockup", "BUG: workqueue lockup", "HANG", F::kNone),
      ClassRow("BUG: Bad page state", "BUG: Bad page state", "BUG", F::kPageOwner),
      // The same check of a page found in the page cache when it should not be.
      ClassRow("BUG: Bad page cache", "BUG: Bad page cache", "BUG", F::kPageOwner),
      // syzkaller names a bad page map after nothing: the trace is the
      // unmapping path, the same for every such bug.
      ClassRow("BUG: Bad page map", "BUG: Bad page map", "BUG", F::kNone),
      ClassRow("BUG: non-zero nr_ptes on freeing mm", "BUG: non-zero nr_ptes on freeing mm", "BUG", F::kNone),
      ClassRow("BUG: non-zero nr_pmds on freeing mm", "BUG: non-zero nr_pmds on freeing mm", "BUG", F::kNone),
      ClassRow("BUG: Bad rss-counter state", "BUG: Bad rss-counter state", "BUG", F::kNone),
      ClassRow("BUG: stack guard page was hit", "BUG: stack guard page was hit", "DoS", F::kOverflow),
      ClassRow("BUG: bad usercopy", "BUG: bad usercopy", "BUG", F::kTrace).skipping(kSkipUsercopy),
      ClassRow("BUG: Dentry ", "BUG: Dentry still in use", "BUG", F::kTrace),
      ClassRow("BUG: Object already free", "BUG: Object already free", "DoS", F::kTrace),
      ClassRow("PANIC: double fault", "PANIC: double fault", "DoS", F::kRipThenTrace),
      ClassRow("divide error: ", "divide error", "DoS", F::kRipThenTrace),
      ClassRow("divide_error: ", "divide error", "DoS", F::kRipThenTrace),
      ClassRow("Oops: divide error", "divide error", "DoS", F::kRipThenTrace),
      ClassRow("stack segment: ", "stack segment fault", "DoS", F::kRipThenTrace),
      ClassRow("Oops: stack segment", "stack segment fault", "DoS", F::kRipThenTrace),
      ClassRow("kernel stack overflow", "kernel stack overflow", "DoS", F::kOverflow),
      ClassRow("Unhandled fault:", "Unhandled fault", "DoS", F::kRipThenTrace),
      // arm64's uaccess check: a kernel access to user memory outside the
      // uaccess routines.
      ClassRow("Unable to handle kernel access to user memory", "BUG: unable to handle kernel access to user memory", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("Unable to handle kernel", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", F::kRipThenTrace),
      ClassRow("Kernel BUG ", "", "BUG", F::kNone).built_by(build_capital_kernel_bug),
      // The oops handler's lines: a report of their own only when alone.
      ClassRow("Internal error:", "Internal error", "DoS", F::kRipThenTrace).as_oops_line(),
      ClassRow("invalid opcode: ", "invalid opcode", "DoS", F::kRipThenTrace).as_oops_line(),
      ClassRow("Alignment trap:", "Alignment trap", "DoS", F::kRipThenTrace),
      // A breakpoint trap in kernel code ("Oops: int3: 0000 [#1]", text_poke
      // gone wrong): named after where it trapped, past allocator entry points,
      // as syzkaller's pkg/report titles it ("int3 in <function>").
      ClassRow("int3: ", "int3", "DoS", F::kIp),
      ClassRow("VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)", "DoS", F::kNone),
      ClassRow("VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)", "DoS", F::kNone),
      ClassRow("WARNING: kernel stack regs at", "WARNING: kernel stack regs has bad value", "", F::kNone).built_by(build_kernel_stack),
      ClassRow("WARNING: kernel stack frame pointer at", "WARNING: kernel stack frame pointer has bad value", "", F::kNone).built_by(build_kernel_stack),
      // Crashes of the fuzzer's Go programs and executor sharing the console,
      // opened by the Go runtime's own first line as syzkaller's pkg/report
      // opens them: "fatal error: ..." (a runtime failure, one title for all)
      // and "panic: ..." (titled by its words). The "goroutine N [...]:" and
      // "runtime stack:" lines after them are their trace, not a report: a
      // goroutine dump (SIGQUIT) alone is not a crash.
      ClassRow("fatal error:", "go runtime error", "DoS", F::kNone).built_by(build_go_fatal),
      // gVisor's watchdog words its panic with the stuck task's details.
      ClassRow("panic: Sentry detected ", "panic: Sentry detected stuck tasks", "DoS", F::kNone).holding("stuck task"),
      ClassRow("panic:", "", "DoS", F::kNone).built_by(build_own_words),
      ClassRow("SYZFAIL:", "", "SYZ_FAILURE", F::kNone).built_by(build_own_words),
      ClassRow("SYZFATAL:", "", "SYZ_FAILURE", F::kNone).built_by(build_own_words),
      ClassRow("trusty: panic", "", "DoS", F::kNone).built_by(build_trusty),
      ClassRow("general protection fault", "general protection fault", "DoS", F::kRipThenTrace).ends(E::kEndTrace).built_by(build_gpf),
      ClassRow("kernel BUG at lib/list_debug.c", "BUG: corrupted list", "MEMORY_SAFETY_BUG", F::kCallTrace).ends(E::kEndTrace),
      ClassRow("kernel BUG at mm/usercopy.c", "BUG: bad usercopy", "BUG", F::kCallTrace).ends(E::kEndTrace).skipping(kSkipUsercopy),
      ClassRow("kernel BUG at ", "kernel BUG", "BUG", F::kRipThenTrace).ends(E::kEndTrace).skipping(kSkipKernelBug).built_by(build_kernel_bug),
      ClassRow("Kernel panic - not syncing: ", "", "DoS", F::kNone).built_by(build_panic),
      // Class lines printed before (or just after) the WARNING or BUG header
      // that carries the trace.
      ClassRow("list_add corruption", "BUG: corrupted list", "MEMORY_SAFETY_BUG", F::kTrace).ends(E::kEndTrace).as_prelude(),
      ClassRow("list_del corruption", "BUG: corrupted list", "MEMORY_SAFETY_BUG", F::kTrace).ends(E::kEndTrace).as_prelude(),
      ClassRow("list_add double add", "BUG: corrupted list", "MEMORY_SAFETY_BUG", F::kTrace).ends(E::kEndTrace).as_prelude(),
      ClassRow("refcount_t: ", "WARNING: refcount bug", "REFCOUNT_WARNING", F::kTrace).ends(E::kEndTrace).skipping(kSkipRefcount).as_prelude(),
      ClassRow("ODEBUG: ", "WARNING: ODEBUG bug", "WARNING", F::kTrace).holding("object type").ends(E::kEndTrace).skipping(kSkipOdebug).as_prelude(),
      ClassRow("usercopy: Kernel memory ", "BUG: bad usercopy", "BUG", F::kTrace).ends(E::kEndTrace).skipping(kSkipUsercopy).as_prelude(),
      ClassRow("usercopy: kernel memory ", "BUG: bad usercopy", "BUG", F::kTrace).ends(E::kEndTrace).skipping(kSkipUsercopy).as_prelude(),
      ClassRow("unreferenced object 0x", "memory leak", "LEAK", F::kLeak),
      ClassRow("unregister_netdevice: waiting for ", "unregister_netdevice: waiting for DEV to become free", "DoS", F::kNone).holding("to become free"),
      // A WARN() trap naming file and function, then a "WARNING:" line no
      // row above knows.
      ClassRow("WARNING: ", "WARNING", "WARNING", F::kHeader).built_by(build_warning),
      ClassRow("WARNING: ", "", "WARNING", F::kNone).built_by(build_plain_warning),
      ClassRow("BUG kmalloc-", "", "BUG", F::kNone).built_by(build_plain_bug),
      ClassRow("BUG: ", "", "BUG", F::kNone).built_by(build_plain_bug),
      // A report's first word alone on its line (see build_bare).
      ClassRow("BUG:", "BUG: corrupted", "BUG", F::kNone).built_by(build_bare),
      ClassRow("WARNING:", "WARNING: corrupted", "WARNING", F::kNone).built_by(build_bare),
      ClassRow("INFO:", "INFO: corrupted", "BUG", F::kNone).built_by(build_bare),
      ClassRow("WARNING:", "", "WARNING", F::kNone).built_by(build_plain_warning),
      ClassRow("BUG:", "", "BUG", F::kNone).built_by(build_plain_bug),
      // Report words that no row above reads: titled by their own line.
      ClassRow("stack segment:", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("Kernel panic", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("kernel BUG", "", "BUG", F::kNone).built_by(build_line_as_title),
      ClassRow("Kernel BUG", "", "BUG", F::kNone).built_by(build_line_as_title),
      ClassRow("divide error:", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("divide_error:", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("invalid opcode:", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("UBSAN:", "", "UBSAN", F::kNone).built_by(build_line_as_title),
      ClassRow("unregister_netdevice: waiting for", "", "DoS", F::kNone).built_by(build_line_as_title),
      ClassRow("rust_kernel: panicked", "", "BUG", F::kNone).built_by(build_line_as_title),
      ClassRow("INFO: ", "", "BUG", F::kNone).built_by(build_upper_cased_info),
  };
  return kRows;
}

// The lock-order headlines older lockdep printed as "[ INFO: ... ]" and
// newer lockdep as "WARNING: ...".
bool old_lockdep_headline(std::string_view words) {
  for (std::string_view h : {"possible circular locking dependency detected",
                             "possible recursive locking detected",
                             "possible irq lock inversion dependency detected"})
    if (starts_with(words, h)) return true;
  std::size_t safe = words.find("-safe -> ");
  return safe != std::string_view::npos && safe < 20 &&
         contains(words, "-unsafe lock order detected");
}

// The report word of syzkaller's that b starts with, or empty (defined with
// the words, below).
std::string_view report_word_at(std::string_view b);

}  // namespace

std::optional<Header> match_header(std::string_view body) {
  std::string_view b = trim(body);
  if (b.size() < 4) return std::nullopt;  // "BUG:" is the shortest header
  // Subsystem prefixes some checkers print before the familiar words.
  for (std::string_view p : {"NMI watchdog: ", "watchdog: ", "rcu: ", "Oops: ", "segment-related "}) {
    if (starts_with(b, p)) {
      b.remove_prefix(p.size());
      break;
    }
  }
  // Older lockdep frames its headline: "[ INFO: inconsistent lock state ]".
  std::string unframed;
  if (starts_with(b, "[ ") && b.back() == ']' && b.size() > 4) {
    unframed = std::string(trim(b.substr(2, b.size() - 3)));
    if (starts_with(unframed, "INFO: ") && !contains(unframed, "suspicious RCU") &&
        !contains(unframed, "inconsistent lock state"))
      unframed = "WARNING: " + unframed.substr(6);
    b = unframed;
  } else if (starts_with(b, "INFO: ") || starts_with(b, "[ INFO: ")) {
    // The same headline with a bracket lost, or found inside a line merged
    // with another ("syz-executor0: [ INFO: possible recursive locking
    // detected ]"): syzkaller's pkg/report knows these by their words.
    std::string_view words = b.substr(b.find("INFO: ") + 6);
    if (!words.empty() && words.back() == ']') words = trim(words.substr(0, words.size() - 1));
    if (old_lockdep_headline(words)) {
      unframed = "WARNING: " + std::string(words);
      b = unframed;
    }
  }
  // The rows by the first character of their leading words, in table order,
  // so that an ordinary console line is compared with a few rows only.
  static const std::array<std::vector<const ClassRow*>, 256> kByFirst = [] {
    std::array<std::vector<const ClassRow*>, 256> by;
    for (const ClassRow& r : class_rows())
      by[static_cast<unsigned char>(r.line.front())].push_back(&r);
    return by;
  }();
  for (const ClassRow* row : kByFirst[static_cast<unsigned char>(b.front())]) {
    const ClassRow& r = *row;
    if (!starts_with(b, r.line)) continue;
    bool also = true;
    for (std::string_view a : r.also) also = also && (a.empty() || contains(b, a));
    if (!also) continue;
    std::optional<Header> h = r.build ? r.build(b, r) : header_from(r);
    if (!h) continue;
    h->family = report_word_at(b);
    return h;
  }
  return match_die_line(b);
}

// A class line ("refcount_t: ...", "list_del corruption ...") printed after
// a generic WARNING or kernel BUG header names the report: its row's title,
// kind, frame rule and skip list replace the generic ones.
void adopt_class(Header& h, const Header& cls) {
  h.title = cls.title;
  h.kind = cls.kind;
  h.frame = cls.frame;
  h.skip = cls.skip;
  h.refinable = false;
}

std::optional<Header> match_reboot(std::string_view body, bool after_kernel) {
  // The x86 decompressor handing over to a new kernel prints "Booting the
  // kernel." (with the stop; the newer "Booting the kernel (entry_offset:"
  // of a first boot is not it): wherever it lands on a line, even merged
  // into the middle of another one, the machine restarted, as syzkaller's
  // pkg/report reads it. Its other words on the same line ("Decompressing
  // Linux", "Parsing ELF", a bad mount option's "Unknown parameter '") are
  // a boot message echoed back by the fuzzer, not a reboot. Alone on its line
  // before the system ran (after_kernel), it and a firmware banner are the
  // log's first boot.
  std::size_t at = body.find("Booting the kernel.");
  bool booting = at != std::string_view::npos &&
                 (after_kernel || !trim(body.substr(0, at)).empty()) &&
                 !contains(body, "Parsing ELF") &&
                 !contains(body, "Decompressing Linux") && !contains(body, "Unknown parameter '");
  std::size_t bios = body.find("BIOS (version");
  bool seabios = after_kernel && bios != std::string_view::npos && bios >= 3 &&
                 body.substr(bios - 3, 3) == "Sea";
  if (!booting && !seabios) return std::nullopt;
  Header h = make("REBOOT", "unexpected kernel reboot", FrameRule::kNone);
  h.secondary = true;
  return h;
}

namespace {

// The words that open a report wherever they stand in a line, each with the
// lines that hold them and are no report (syzkaller's pkg/report: each
// oops's header and ignore list, in linux.go and report.go).
struct InlineHeader {
  std::string_view word;
  std::initializer_list<std::string_view> unless;  // line holds one: no report
};
const InlineHeader kInlineHeaders[] = {
    {"BUG:", {"ODEBUG:", "DEBUG:", "xlog_status:"}},  // debugobjects, Android boot logs
    {"WARNING:", {}},  // with ext4's and XFS's own messages passed over (see below)
    {"INFO:", {"_INFO:", "rmt_storage:INFO:"}},        // BTF_INFO, Android
    {"Unable to handle kernel", {}},
    {"general protection fault", {}},
    {"stack segment: ", {}},
    {"Kernel panic", {}},
    {"PANIC: double fault", {}},
    {"kernel BUG", {}},
    {"Kernel BUG", {}},
    {"BUG kmalloc-", {}},
    {"divide error:", {}},
    {"divide_error:", {}},
    {"invalid opcode:", {}},
    {"UBSAN:", {}},
    {"unregister_netdevice: waiting for", {}},
    {"VFS: Close: file count is 0", {}},
    {"VFS: Busy inodes after unmount", {}},
    {"Internal error:", {}},
    {"Unhandled fault:", {}},
    {"Alignment trap:", {}},
    {"fatal error:", {"ALSA", "fatal error: cannot create timer"}},  // ALSA's sequencer timer notice
    {"SYZFAIL:", {}},
    {"SYZFATAL:", {}},
    {"trusty: panic", {}},
    {"rust_kernel: panicked", {}},
    {"panic:", {"_panic:", "xlog_status:", "ddb.onpanic:", "evtlog_status:"}},  // skb_panic: etc.
};

std::string_view report_word_at(std::string_view b) {
  for (const InlineHeader& h : kInlineHeaders)
    if (starts_with(b, h.word)) return h.word;
  return {};
}

// "XFS (sda): WARNING: ...": XFS's notices on a device named by one word
// (syzkaller's pattern XFS \(\w+\): WARNING), with the "WARNING" at `at`.
bool xfs_notice(std::string_view line, std::size_t at) {
  if (at < 3 || line.substr(at - 3, 3) != "): ") return false;
  std::size_t word_end = at - 3, p = word_end;
  while (p > 0 && (std::isalnum(static_cast<unsigned char>(line[p - 1])) || line[p - 1] == '_')) --p;
  return p < word_end && p >= 5 && line.substr(p - 5, 5) == "XFS (";
}

// ext4's own messages, as syzkaller's pattern EXT4-[Ff][Ss](?: \(.*\))?:
// reads them: "EXT4-fs:" or "EXT4-fs (<anything>):", in any case of "fs".
bool ext4_notice(std::string_view line) {
  for (std::size_t at = line.find("EXT4-"); at != std::string_view::npos; at = line.find("EXT4-", at + 1)) {
    std::size_t p = at + 5;
    if (p + 2 > line.size() || (line[p] != 'f' && line[p] != 'F') || (line[p + 1] != 's' && line[p + 1] != 'S'))
      continue;
    p += 2;
    if (p < line.size() && line[p] == ':') return true;
    if (line.substr(p, 2) == " (" && line.find("):", p + 2) != std::string_view::npos) return true;
  }
  return false;
}

// The notices a word's own list, the user-space gpf notice and ext4's
// messages make no report, wherever they stand in the line.
bool word_passed_over(const InlineHeader& h, std::string_view line) {
  for (std::string_view u : h.unless)
    if (contains(line, u)) return true;
  if (h.word == "general protection fault") return user_trap(line);
  if (h.word == "WARNING:") return ext4_notice(line);
  return false;
}

}  // namespace

std::optional<Header> match_header_within(std::string_view body) {
  // Every place a report word stands, leftmost first: when the words there
  // open no report ("INFO: ..." that no row reads), a later one in the same
  // line still may ("... INFO: x BUG: KASAN: ..."), as syzkaller looks for
  // each of its words in the whole line.
  // A few places per word are enough for any real line and keep a hostile
  // one (16 KiB of "BUG:") cheap.
  constexpr int kPlacesPerWord = 8;
  std::vector<std::size_t> places;
  for (const InlineHeader& h : kInlineHeaders) {
    std::size_t at = body.find(h.word, 1);
    if (at == std::string_view::npos) continue;  // the common case: ask nothing more
    if (word_passed_over(h, body)) continue;
    for (int n = 0; at != std::string_view::npos && n < kPlacesPerWord; ++n) {
      if (!(h.word == "WARNING:" && xfs_notice(body, at))) places.push_back(at);
      at = body.find(h.word, at + 1);
    }
  }
  if (places.empty()) return std::nullopt;
  std::sort(places.begin(), places.end());
  for (std::size_t at : places)
    if (auto h = match_header(body.substr(at))) return h;
  return std::nullopt;
}

// A cheap first look for report_word_place, which runs on every line of a
// log with no report: every report word but a few ends in ':' or stands
// just before one ("VFS: Close: ..."), so only the text before each ':' is
// compared; the others start "BUG", "Unable", "Kernel ", "kernel BUG" or
// "general protection".
bool may_hold_report_word(std::string_view line) {
  static constexpr std::string_view kBeforeColon[] = {
      "BUG", "WARNING", "INFO", "stack segment", "divide error", "divide_error",
      "invalid opcode", "UBSAN", "unregister_netdevice", "VFS", "Internal error",
      "Unhandled fault", "Alignment trap", "fatal error", "SYZFAIL", "SYZFATAL",
      "trusty", "rust_kernel", "panic", "PANIC"};
  // memchr for each mark in turn (vectorised), a compare at each place.
  const char* p = line.data();
  const std::size_t n = line.size();
  auto each = [&](char mark, auto&& holds) {
    for (std::size_t i = line.find(mark); i != std::string_view::npos; i = line.find(mark, i + 1))
      if (holds(i)) return true;
    return false;
  };
  auto starts = [&](std::string_view w) {
    return [&, w](std::size_t i) { return n - i >= w.size() && std::memcmp(p + i, w.data(), w.size()) == 0; };
  };
  auto ends_a_word = [&](std::size_t i) {
    for (std::string_view w : kBeforeColon)
      if (i >= w.size() && p[i - 1] == w.back() && std::memcmp(p + i - w.size(), w.data(), w.size()) == 0)
        return true;
    return false;
  };
  return each(':', ends_a_word) || each('B', starts("BUG")) ||
         each('U', starts("Unable to handle kernel")) || each('K', starts("Kernel ")) ||
         each('k', starts("kernel BUG")) || each('g', starts("general protection"));
}

std::size_t report_word_place(std::string_view line) {
  if (!may_hold_report_word(line)) return std::string_view::npos;
  for (const InlineHeader& h : kInlineHeaders) {
    std::size_t at = line.find(h.word);
    if (at == std::string_view::npos) continue;
    bool quiet = word_passed_over(h, line);
    if (h.word == "WARNING:") {
      quiet = quiet || benign_warning(line);
      for (std::size_t w = line.find("): WARNING"); !quiet && w != std::string_view::npos;
           w = line.find("): WARNING", w + 1))
        quiet = xfs_notice(line, w + 3);
    }
    if (h.word == "BUG:") quiet = quiet || contains(line, "BUG: no syscalls can create resource");
    if (h.word == "INFO:") {
      for (std::string_view u : {"INFO: lockdep is turned off", "INFO: Stall ended before state dump start",
                                 "INFO: NMI handler", "INFO: recovery required on readonly filesystem",
                                 "INFO: no syscalls can create resource"})
        quiet = quiet || contains(line, u);
      // "INFO: sys_.* is not present in /proc/kallsyms" and
      // "(handler|interrupt).*took too long": a second part after the first.
      auto in_order = [&](std::string_view first, std::string_view then) {
        std::size_t f = line.find(first);
        return f != std::string_view::npos && line.find(then, f + first.size()) != std::string_view::npos;
      };
      quiet = quiet || in_order("INFO: sys_", " is not present in /proc/kallsyms") ||
              in_order("handler", "took too long") || in_order("interrupt", "took too long");
    }
    if (!quiet) return at;
  }
  return std::string_view::npos;
}

std::size_t report_seam(std::string_view head, std::size_t window) {
  std::size_t from = head.size() > window ? head.size() - window : 0;
  for (std::size_t p = from; p < head.size(); ++p) {
    if (head[p] == '[') return p;
    std::string_view rest = head.substr(p);
    for (const InlineHeader& h : kInlineHeaders) {
      std::string_view w = h.word;
      if (rest.size() >= w.size() ? starts_with(rest, w) : starts_with(w, rest)) return p;
    }
  }
  return head.size();
}

bool refine_header(Header& h, std::string_view body) {
  std::string_view b = trim(body);
  if (h.message_next) {
    h.message_next = false;
    if (!b.empty()) {
      h.title = std::string(b);
      return true;
    }
  }
  if (h.wants_access) {
    std::string_view access;
    if (starts_with(b, "Read of size") || starts_with(b, "Read at addr")) access = "Read";
    else if (starts_with(b, "Write of size") || starts_with(b, "Write at addr")) access = "Write";
    if (!access.empty()) {
      h.title += " " + std::string(access);
      h.wants_access = false;
      std::string upper = access == "Read" ? "READ" : "WRITE";
      if (contains(h.title, "use-after-free")) h.kind = "KASAN-USE-AFTER-FREE-" + upper;
      else if (contains(h.title, "null-ptr-deref"))
        h.kind = "KASAN-NULL-POINTER-DEREFERENCE-" + upper;
      else h.kind = "KASAN-" + upper;
      return true;
    }
  }
  return false;
}

}  // namespace splatscan
