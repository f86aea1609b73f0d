#include "splatscan/rules.h"

#include <array>
#include <cctype>

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

// WARNING headers name the file; some files mean a specific bug class.
// A class may also need the warning function's prefix (empty: any function),
// since files like mm/slab_common.c warn about unrelated things too.
void classify_warning_file(Header& h, std::string_view file, std::string_view func) {
  struct FileClass {
    std::string_view file;
    std::string_view func;
    std::string_view title;
    std::string_view kind;
  };
  static constexpr FileClass kClasses[] = {
      {"lib/refcount.c", "", "WARNING: refcount bug", "REFCOUNT_WARNING"},
      {"kernel/locking/lockdep.c", "", "WARNING: locking bug", "LOCKDEP"},
      {"kernel/locking/mutex.c", "", "WARNING: locking bug", "LOCKDEP"},
      {"lib/debugobjects.c", "", "WARNING: ODEBUG bug", "WARNING"},
      {"mm/usercopy.c", "", "WARNING: bad usercopy", "WARNING"},
      {"fs/proc/generic.c", "", "WARNING: proc registration bug", "WARNING"},
      {"lib/kobject.c", "", "WARNING: kobject bug", "WARNING"},
      {"mm/slab_common.c", "kmalloc", "WARNING: kmalloc bug", "WARNING"},
      {"mm/util.c", "kvmalloc", "WARNING: kmalloc bug", "WARNING"},
      {"mm/vmalloc.c", "__vmalloc_node", "WARNING: zero-size vmalloc", "WARNING"},
  };
  for (const FileClass& c : kClasses) {
    if (starts_with(file, c.file) && starts_with(func, c.func)) {
      h.title = std::string(c.title);
      h.kind = std::string(c.kind);
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
  classify_warning_file(h, file, func);
  if (h.title != "WARNING") h.frame = FrameRule::kTrace;
  return h;
}

// One row per report class: the header line starts with `line` (and holds
// each of `also`); the report is titled `title` + " in <function>", the
// function chosen by `frame`, and ends as `end` says (kEndTrace by default
// for the classes an oops prints: kIp and kOverflow).
struct Phrase {
  std::string_view line;
  std::string_view title;
  std::string_view kind;
  FrameRule frame;
  std::string_view site_intro = {};  // see Header::site_intro
  EndRule end = EndRule::kNone;
  std::array<std::string_view, 2> also = {};
  bool oops_line = false;  // see Header::oops_line
};

// Classes whose header needs no more than a row; checked before the others.
constexpr Phrase kCorePhrases[] = {
    // Page faults in kernel mode, x86 and the arm wording.
    {"BUG: unable to handle kernel paging request", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    {"BUG: unable to handle page fault", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    {"BUG: Unable to handle kernel data access", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    {"BUG: Unable to handle kernel instruction fetch", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    {"Unable to handle kernel paging request", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    {"BUG: unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", FrameRule::kIp},
    {"BUG: kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", FrameRule::kIp},
    {"Unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE", FrameRule::kIp},
    // The second half of the header lost: no class, no function.
    {"BUG: unable to handle kernel", "BUG: unable to handle kernel", "", FrameRule::kNone, {}, EndRule::kEndTrace},
    // Stalls and hangs.
    {"BUG: soft lockup", "BUG: soft lockup", "HANG", FrameRule::kStall},
    {"INFO: task ", "INFO: task hung", "HANG", FrameRule::kHung, {}, EndRule::kNone, {" blocked ", "for more than "}},
    {"INFO: task ", "INFO: task can't die", "HANG", FrameRule::kHung, {}, EndRule::kNone, {"can't die"}},
    {"INFO: rcu_", "INFO: rcu detected stall", "HANG", FrameRule::kStall, {}, EndRule::kNone, {"stall"}},
};

// Lockdep and related checkers: fixed sentences, one per bug class.
constexpr Phrase kLockdepPhrases[] = {
    {"WARNING: possible circular locking dependency detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: possible recursive locking detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: possible irq lock inversion dependency detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: HARDIRQ-READ-safe -> HARDIRQ-READ-unsafe lock order detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: SOFTIRQ-READ-safe -> SOFTIRQ-READ-unsafe lock order detected", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"[ INFO: possible circular locking dependency detected ]", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"[ INFO: possible recursive locking detected ]", "possible deadlock", "LOCKDEP", FrameRule::kDeadlock},
    {"WARNING: inconsistent lock state", "inconsistent lock state", "LOCKDEP", FrameRule::kLockdep},
    {"[ INFO: inconsistent lock state ]", "inconsistent lock state", "LOCKDEP", FrameRule::kLockdep},
    {"WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage", "LOCKDEP", FrameRule::kLockdep},
    {"INFO: suspicious RCU usage", "INFO: suspicious RCU usage", "LOCKDEP", FrameRule::kLockdep},
    {"[ INFO: suspicious RCU usage. ]", "INFO: suspicious RCU usage", "LOCKDEP", FrameRule::kLockdep},
    // Named where the freed lock was taken.
    {"WARNING: held lock freed", "WARNING: held lock freed", "LOCKDEP", FrameRule::kLockdep, "with a lock still held"},
    {"BUG: held lock freed", "BUG: held lock freed", "LOCKDEP", FrameRule::kLockdep, "with a lock still held"},
    // Named where the unbalanced unlock is.
    {"WARNING: bad unlock balance detected", "WARNING: bad unlock balance", "LOCKDEP", FrameRule::kLockdep, "is trying to release lock"},
    {"BUG: bad unlock balance detected", "BUG: bad unlock balance", "LOCKDEP", FrameRule::kLockdep, "is trying to release lock"},
    // Named where the first lock still held was taken.
    {"WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space", "LOCKDEP", FrameRule::kLockdep, "#0: "},
    {"BUG: lock held when returning to user space", "BUG: lock held when returning to user space", "LOCKDEP", FrameRule::kLockdep, "#0: "},
    {"WARNING: still has locks held", "WARNING: still has locks held", "LOCKDEP", FrameRule::kLockdep, "#0: "},
    {"BUG: still has locks held", "BUG: still has locks held", "LOCKDEP", FrameRule::kLockdep, "#0: "},
    {"WARNING: nested lock was not taken", "WARNING: nested lock was not taken", "LOCKDEP", FrameRule::kLockdep},
    {"WARNING: Nested lock was not taken", "WARNING: nested lock was not taken", "LOCKDEP", FrameRule::kLockdep},
    {"WARNING: lock held by", "WARNING: lock held", "LOCKDEP", FrameRule::kLockdep},
    {"INFO: trying to register non-static key", "INFO: trying to register non-static key", "LOCKDEP", FrameRule::kTrace},
    {"BUG: MAX_LOCKDEP_KEYS too low", "BUG: MAX_LOCKDEP_KEYS too low!", "LOCKDEP", FrameRule::kNone},
    {"BUG: MAX_LOCKDEP_ENTRIES too low", "BUG: MAX_LOCKDEP_ENTRIES too low!", "LOCKDEP", FrameRule::kNone},
    {"BUG: MAX_LOCKDEP_CHAINS too low", "BUG: MAX_LOCKDEP_CHAINS too low!", "LOCKDEP", FrameRule::kNone},
    {"BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low", "BUG: MAX_LOCKDEP_CHAIN_HLOCKS too low!", "LOCKDEP", FrameRule::kNone},
    {"BUG: MAX_STACK_TRACE_ENTRIES too low", "BUG: MAX_STACK_TRACE_ENTRIES too low!", "LOCKDEP", FrameRule::kNone},
    {"BUG: spinlock bad magic", "BUG: spinlock bad magic", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock lockup suspected", "BUG: spinlock lockup suspected", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock already unlocked", "BUG: spinlock already unlocked", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock recursion", "BUG: spinlock recursion", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock wrong owner", "BUG: spinlock wrong owner", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock wrong CPU", "BUG: spinlock wrong CPU", "LOCKDEP", FrameRule::kTrace},
    {"BUG: spinlock cpu recursion", "BUG: spinlock cpu recursion", "LOCKDEP", FrameRule::kTrace},
    {"BUG: rwlock bad magic", "BUG: rwlock bad magic", "LOCKDEP", FrameRule::kTrace},
    {"BUG: rwlock recursion", "BUG: rwlock recursion", "LOCKDEP", FrameRule::kTrace},
    {"BUG: rwlock wrong owner", "BUG: rwlock wrong owner", "LOCKDEP", FrameRule::kTrace},
    {"BUG: rwlock lockup suspected", "BUG: rwlock lockup suspected", "LOCKDEP", FrameRule::kTrace},
    {"BUG: Invalid wait context", "WARNING: locking bug", "LOCKDEP", FrameRule::kLockdep},
    {"BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic", "LOCKDEP", FrameRule::kLastFunction},
};

// Other fixed sentences.
constexpr Phrase kOtherPhrases[] = {
    {"BUG: sleeping function called from invalid context", "BUG: sleeping function called from invalid context", "ATOMIC_SLEEP", FrameRule::kMightSleep},
    {"BUG: scheduling while atomic", "BUG: scheduling while atomic", "ATOMIC_SLEEP", FrameRule::kTrace},
    {"BUG: workqueue lockup", "BUG: workqueue lockup", "HANG", FrameRule::kNone},
    {"BUG: Bad page state", "BUG: Bad page state", "BUG", FrameRule::kPageOwner},
    {"BUG: Bad page map", "BUG: Bad page map", "BUG", FrameRule::kTrace},
    {"BUG: Bad rss-counter state", "BUG: Bad rss-counter state", "BUG", FrameRule::kNone},
    {"BUG: stack guard page was hit", "BUG: stack guard page was hit", "DoS", FrameRule::kOverflow},
    {"BUG: bad usercopy", "BUG: bad usercopy", "BUG", FrameRule::kTrace},
    {"BUG: Dentry ", "BUG: Dentry still in use", "BUG", FrameRule::kTrace},
    {"BUG: Object already free", "BUG: Object already free", "DoS", FrameRule::kTrace},
    {"PANIC: double fault", "PANIC: double fault", "DoS", FrameRule::kIp},
    {"divide error: ", "divide error", "DoS", FrameRule::kIp},
    {"divide_error: ", "divide error", "DoS", FrameRule::kIp},
    {"Oops: divide error", "divide error", "DoS", FrameRule::kIp},
    {"stack segment: ", "stack segment fault", "DoS", FrameRule::kIp},
    {"Oops: stack segment", "stack segment fault", "DoS", FrameRule::kIp},
    {"kernel stack overflow", "kernel stack overflow", "DoS", FrameRule::kOverflow},
    {"Unhandled fault:", "Unhandled fault", "DoS", FrameRule::kIp},
    {"Unable to handle kernel", "BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG", FrameRule::kIp},
    // The oops handler's lines: a report of their own only when alone.
    {"Internal error:", "Internal error", "DoS", FrameRule::kIp, {}, EndRule::kNone, {}, true},
    {"invalid opcode: ", "invalid opcode", "DoS", FrameRule::kIp, {}, EndRule::kNone, {}, true},
    {"Alignment trap:", "Alignment trap", "DoS", FrameRule::kIp},
    // A breakpoint trap in kernel code ("Oops: int3: 0000 [#1]", text_poke
    // gone wrong): named after where it trapped, past allocator entry points,
    // as syzkaller's pkg/report titles it ("int3 in <function>").
    {"int3: ", "int3", "DoS", FrameRule::kIp},
    {"VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)", "DoS", FrameRule::kNone},
    {"VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)", "DoS", FrameRule::kNone},
    {"WARNING: kernel stack regs at", "WARNING: kernel stack regs has bad value", "", FrameRule::kNone},
    {"WARNING: kernel stack frame pointer at", "WARNING: kernel stack frame pointer has bad value", "", FrameRule::kNone},
};

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

std::optional<Header> match_phrase(std::string_view b, const Phrase* begin,
                                   const Phrase* end) {
  for (const Phrase* p = begin; p != end; ++p) {
    bool also = true;
    for (std::string_view a : p->also) also = also && (a.empty() || contains(b, a));
    if (starts_with(b, p->line) && also) {
      Header h = make(std::string(p->kind), std::string(p->title), p->frame, p->end);
      h.site_intro = std::string(p->site_intro);
      h.oops_line = p->oops_line;
      if (starts_with(p->line, "WARNING: kernel stack ")) h.title = kernel_stack_title(b, p->title);
      if (p->end == EndRule::kNone &&
          (p->frame == FrameRule::kIp || p->frame == FrameRule::kOverflow))
        h.end = EndRule::kEndTrace;
      return h;
    }
  }
  return std::nullopt;
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
    Header h = make("", "KASAN: " + kasan_free_class(type), FrameRule::kHeaderThenTrace,
                    EndRule::kSeparator);
    h.header_func = function_after_in(b);
    h.wants_access = !is_kasan_free_class(type);
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
                    "KMSAN: " + std::string(type), FrameRule::kTrace, EndRule::kSeparator);
    h.header_func = function_after_in(b);
    // Uninit data is used where generic code computes on it; the user
    // that passed it in is named.
    h.skip = {"*_encrypt", "*_decrypt", "crypto_*", "cipher_*", "drbg_*", "rng_*",
              "*alloc_skb*", "netlink_ack", "netlink_rcv_skb"};
    return h;
  }
  if (starts_with(b, "BUG: KCSAN: ")) {
    std::string_view rest = b.substr(12);
    std::string_view type = class_before_in(rest);
    // The header names both racing functions: together they are the title.
    std::string title = "KCSAN: " + std::string(type);
    std::size_t in = rest.find(" in ");
    if (in != std::string_view::npos) {
      std::string_view funcs = rest.substr(in + 4);
      std::size_t slash = funcs.find(" / ");
      title += " in " + leading_function(funcs.substr(0, slash));
      if (slash != std::string_view::npos)
        title += " / " + leading_function(funcs.substr(slash + 3));
    }
    return make(starts_with(type, "assert") ? "KCSAN-ASSERT" : "KCSAN-DATARACE", title,
                FrameRule::kNone, EndRule::kSeparator);
  }
  if (starts_with(b, "UBSAN: ")) {
    std::string type(class_before_in(b.substr(7)));
    if (type == "Undefined behaviour") type = "undefined-behaviour";
    Header h = make(type == "array-index-out-of-bounds" ? "MEMORY_SAFETY_UBSAN" : "UBSAN",
                    "UBSAN: " + type, FrameRule::kTrace, EndRule::kSeparator);
    return h;
  }
  return std::nullopt;
}

// Notices that say "WARNING:" but report no bug: configuration and
// deprecation messages of a healthy system. syzkaller's pkg/report ignores
// the same ones (the WARNING oops's ignore list in pkg/report/linux.go).
constexpr std::string_view kBenignWarnings[] = {
    "/etc/ssh/moduli does not exist",                  // sshd at boot
    "workqueue cpumask: online intersect > possible",  // workqueue setup at boot
    "he mand mount option",                            // deprecated mount option
    "Unsupported flag value",                          // dumping glibc's ELF flags
    "Unprivileged eBPF is enabled",                    // Spectre mitigation notice
    "fbcon: Driver",                                   // fbcon screen size notice
    "See https",                                       // mitigation documentation link
    "kernel not compiled with",                        // mitigation not built in
    "uses deprecated v2 capabilities",                 // a program's old capset use
    "uses wireless extensions",                        // a program's old wext use
};

// A "WARNING: " line that no class above knows and that no benign notice
// explains is a report of its own, titled by its own words, as syzkaller's
// pkg/report titles a header no format matches (a one-line warning of a
// subsystem: "WARNING: ... bad value ..."). It carries no trace to name.
std::optional<Header> match_plain_warning(std::string_view b) {
  // Compared without case: syslog daemons upper-case whole lines.
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string line = lower(b);
  for (std::string_view benign : kBenignWarnings)
    if (contains(line, lower(benign))) return std::nullopt;
  std::string_view words = trim(b.substr(9));
  if (words.size() < 3) return std::nullopt;
  return make("WARNING", std::string(trim(b)), FrameRule::kNone);
}

std::optional<Header> match_panic(std::string_view b) {
  static constexpr std::string_view kPanic = "Kernel panic - not syncing: ";
  if (!starts_with(b, kPanic)) return std::nullopt;
  std::string_view msg = trim(b.substr(kPanic.size()));
  Header h = make("DoS", "", FrameRule::kNone);
  h.secondary = true;
  static constexpr std::string_view kStackProt = "stack-protector: Kernel stack is corrupted in: ";
  if (starts_with(msg, kStackProt)) {
    h.title = "kernel panic: stack is corrupted";
    h.frame = FrameRule::kHeader;
    h.header_func = leading_function(msg.substr(kStackProt.size()));
    if (!h.header_func.empty() && std::isxdigit(static_cast<unsigned char>(h.header_func[0])) &&
        h.header_func.find_first_not_of("0123456789abcdef") == std::string::npos)
      h.header_func.clear();  // an unsymbolised address: use the trace
    h.secondary = false;
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
  msg = msg.substr(0, msg.find(" exitcode="));
  while (!msg.empty() && (msg.back() == '.' || msg.back() == ' ')) msg.remove_suffix(1);
  h.title = "kernel panic: " + replace_numbers(msg);
  return h;
}

}  // namespace

std::optional<Header> match_header(std::string_view body) {
  std::string_view b = trim(body);
  if (b.size() < 6) return std::nullopt;
  // Kernels since 6.9 print "Oops: general protection fault"; the older form
  // has no prefix. The two are titled differently (see the 'g' case).
  bool oops_prefix = starts_with(b, "Oops: ");
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
    if (starts_with(unframed, "INFO: ") && !contains(unframed, "suspicious RCU"))
      unframed = "WARNING: " + unframed.substr(6);
    b = unframed;
  }
  if (starts_with(b, "BUG ") && contains(b, "): Object already free"))
    return make("DoS", "BUG: Object already free", FrameRule::kNone);
  if ((starts_with(b, "WARNING: ") || starts_with(b, "BUG: ")) &&
      contains(b, " still has locks held")) {
    std::string title = starts_with(b, "BUG") ? "BUG" : "WARNING";
    Header h = make("LOCKDEP", title + ": still has locks held", FrameRule::kLockdep);
    h.site_intro = "#0: ";  // named where the first lock still held was taken
    return h;
  }
  if (starts_with(b, "BUG: ") && contains(b, "stack guard page was hit"))
    return make("DoS", "BUG: stack guard page was hit", FrameRule::kOverflow, EndRule::kEndTrace);

  switch (b[0]) {
    case 'B':
      if (!starts_with(b, "BUG: ")) return std::nullopt;
      if (auto h = match_sanitizer(b)) return h;
      if (auto h = match_phrase(b, std::begin(kCorePhrases), std::end(kCorePhrases))) return h;
      if (starts_with(b, "BUG: memory leak")) {
        Header h = make("LEAK", "memory leak", FrameRule::kLeak);
        h.prelude = true;
        return h;
      }
      // "BUG: Dentry ... still in use (1) [unmount of ramfs ramfs]": the
      // operation in brackets is all that names it.
      if (starts_with(b, "BUG: Dentry ") && contains(b, "[unmount of ")) {
        Header h = make("BUG", "BUG: Dentry still in use", FrameRule::kHeader);
        h.header_func = "unmount";
        return h;
      }
      if (starts_with(b, "BUG: using ") && contains(b, " in preemptible")) {
        std::string what(b.substr(11, b.find(" in preemptible") - 11));
        return make("LOCKDEP", "BUG: using " + what + " in preemptible code",
                    FrameRule::kTrace);
      }
      if (auto h = match_phrase(b, std::begin(kLockdepPhrases), std::end(kLockdepPhrases)))
        return h;
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'W':
      if (!starts_with(b, "WARNING: ")) return std::nullopt;
      if (auto h = match_phrase(b, std::begin(kLockdepPhrases), std::end(kLockdepPhrases)))
        return h;
      if (auto h = match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases)))
        return h;
      if (auto h = match_warning(b)) return h;
      return match_plain_warning(b);
    case 'I':
      if (auto h = match_phrase(b, std::begin(kCorePhrases), std::end(kCorePhrases))) return h;
      // SLUB debugging's object history: "INFO: Allocated in f+0x1/0x2 age=1 cpu=0 pid=9".
      if (starts_with(b, "INFO: Allocated in ") || starts_with(b, "INFO: Freed in ")) {
        std::size_t in = b.find(" in ");
        std::string func = leading_function(b.substr(in + 4));
        std::size_t age = b.find(" age=");
        if (!func.empty() && age != std::string_view::npos)
          return make("", std::string(b.substr(0, in + 4)) + func + replace_numbers(b.substr(age)),
                      FrameRule::kNone);
      }
      if (starts_with(b, "INFO: "))
        return match_phrase(b, std::begin(kLockdepPhrases), std::end(kLockdepPhrases));
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'S':
      // Failures of the fuzzer's own executor, which logs share with the kernel.
      if (starts_with(b, "SYZFAIL: ") || starts_with(b, "SYZFATAL: "))
        return make("SYZ_FAILURE", replace_numbers(b), FrameRule::kNone);
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'U':
      if (auto h = match_sanitizer(b)) return h;
      if (auto h = match_phrase(b, std::begin(kCorePhrases), std::end(kCorePhrases))) return h;
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'g':
      // A Go program's crash (the fuzzer's own tools share the console):
      // "goroutine 1 [running]:" opens its traceback.
      if (starts_with(b, "goroutine ") && b.size() > 10 && std::isdigit(static_cast<unsigned char>(b[10])) &&
          contains(b, " [") && b.back() == ':')
        return make("DoS", "go runtime error", FrameRule::kNone);
      if (starts_with(b, "general protection fault")) {
        Header h = make("DoS", "general protection fault", FrameRule::kIp, EndRule::kEndTrace);
        // A KASAN "null-ptr-deref in range" line under the 6.9+ header names a
        // KASAN null-ptr-deref; older kernels keep the plain gpf title.
        h.kasan_range_refines = oops_prefix;
        return h;
      }
      return std::nullopt;
    case 'k':
      if (starts_with(b, "kernel BUG at ")) {
        Header h = make("BUG", "kernel BUG", FrameRule::kIp, EndRule::kEndTrace);
        if (starts_with(b, "kernel BUG at lib/list_debug.c")) {
          h.title = "BUG: corrupted list";
          h.kind = "MEMORY_SAFETY_BUG";
          h.frame = FrameRule::kTrace;
        }
        if (starts_with(b, "kernel BUG at mm/usercopy.c")) {
          h.title = "BUG: bad usercopy";
          h.frame = FrameRule::kTrace;
        }
        return h;
      }
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'K':
      return match_panic(b);
    case 'l':
      if (starts_with(b, "list_add corruption") || starts_with(b, "list_del corruption") ||
          starts_with(b, "list_add double add")) {
        Header h = make("MEMORY_SAFETY_BUG", "BUG: corrupted list", FrameRule::kTrace,
                        EndRule::kEndTrace);
        h.prelude = true;
        return h;
      }
      return std::nullopt;
    case 'r':
      if (b == "runtime stack:") return make("DoS", "go runtime error", FrameRule::kNone);
      if (starts_with(b, "refcount_t: ")) {
        Header h = make("REFCOUNT_WARNING", "WARNING: refcount bug", FrameRule::kTrace,
                        EndRule::kEndTrace);
        h.prelude = true;
        return h;
      }
      return std::nullopt;
    case 'O':
      if (starts_with(b, "ODEBUG: ") && contains(b, "object type")) {
        Header h = make("WARNING", "WARNING: ODEBUG bug", FrameRule::kTrace,
                        EndRule::kEndTrace);
        h.prelude = true;
        return h;
      }
      return std::nullopt;
    case 'D':
      if (starts_with(b, "DEBUG_LOCKS_WARN_ON(")) {
        Header h = make("LOCKDEP", "WARNING: locking bug", FrameRule::kTrace,
                        EndRule::kEndTrace);
        h.prelude = true;
        return h;
      }
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    case 'u':
      if (starts_with(b, "usercopy: Kernel memory ") || starts_with(b, "usercopy: kernel memory ")) {
        Header h = make("BUG", "BUG: bad usercopy", FrameRule::kTrace, EndRule::kEndTrace);
        h.prelude = true;
        return h;
      }
      if (starts_with(b, "unreferenced object 0x")) {
        Header h = make("LEAK", "memory leak", FrameRule::kLeak);
        return h;
      }
      if (starts_with(b, "unregister_netdevice: waiting for ") &&
          contains(b, "to become free"))
        return make("DoS", "unregister_netdevice: waiting for DEV to become free",
                    FrameRule::kNone);
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
    default:
      return match_phrase(b, std::begin(kOtherPhrases), std::end(kOtherPhrases));
  }
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

bool refine_header(Header& h, std::string_view body) {
  std::string_view b = trim(body);
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
  if (h.kasan_range_refines && h.title == "general protection fault" &&
      contains(b, "KASAN: null-ptr-deref in range")) {
    h.title = "KASAN: null-ptr-deref Read";
    h.kind = "KASAN-NULL-POINTER-DEREFERENCE-READ";
    return true;
  }
  // Older kernels print the refcount and list messages after the header.
  if (h.title == "WARNING" || h.title == "kernel BUG") {
    if (starts_with(b, "refcount_t: ")) {
      h.title = "WARNING: refcount bug";
      h.kind = "REFCOUNT_WARNING";
      h.frame = FrameRule::kTrace;
      return true;
    }
    if (starts_with(b, "list_add corruption") || starts_with(b, "list_del corruption")) {
      h.title = "BUG: corrupted list";
      h.kind = "MEMORY_SAFETY_BUG";
      h.frame = FrameRule::kTrace;
      return true;
    }
  }
  return false;
}

}  // namespace splatscan
