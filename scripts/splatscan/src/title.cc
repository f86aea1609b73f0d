// The last step of every title: the parts of a title that differ from one
// run of the same bug to the next (addresses, pids, line numbers, offsets,
// CPU and other numbers) are replaced by fixed words, and the result is cut
// to a bounded length of printable characters.
//
// The rules and their order follow syzkaller's pkg/report (report.go: its
// table of dynamic title replacements and its title sanitiser), so that a
// title built from a log's own words ("WARNING: ... bad value 12", "panic:
// ...", "SYZFAIL: ...") is worded the way syzbot words it. Written here from
// that description; each step below says which replacement it is.
#include <initializer_list>
#include <string>
#include <string_view>

#include "splatscan/internal.h"

namespace splatscan {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower_hex(char c) { return digit(c) || (c >= 'a' && c <= 'f'); }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool alnum(char c) { return alpha(c) || digit(c); }
bool word(char c) { return alnum(c) || c == '_'; }

std::size_t digits_from(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && digit(s[j])) ++j;
  return j - i;
}

// "<word><digits>" optionally followed by "/<digits>" or ":<digits>"
// (with an optional '.' before the digits when dot is set) -> "<word>":
// process ids glued to the fuzzer's binary names.
std::string drop_process_id(std::string_view s, std::string_view name, bool dot) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t at = s.find(name, i);
    if (at == std::string_view::npos) break;
    std::size_t j = at + name.size();
    if (dot && j < s.size() && s[j] == '.' && j + 1 < s.size() && digit(s[j + 1])) ++j;
    std::size_t n = digits_from(s, j);
    if (n == 0) {
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    j += n;
    if (j + 1 < s.size() && (s[j] == '/' || s[j] == ':') && digit(s[j + 1]))
      j += 1 + digits_from(s, j + 1);
    out.append(s.substr(i, at - i));
    out.append(name);
    i = j;
  }
  out.append(s.substr(i));
  return out;
}

// A character that is not a letter or digit, then six or more lower-case
// hex digits (after an optional "0x") -> that character and "ADDR".
std::string replace_addresses(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!alnum(s[i]) && i + 1 < s.size()) {
      std::size_t j = i + 1;
      auto hex_run = [&](std::size_t k) {
        std::size_t e = k;
        while (e < s.size() && lower_hex(s[e])) ++e;
        return e - k;
      };
      std::size_t n = 0;
      if (s.compare(j, 2, "0x") == 0 && (n = hex_run(j + 2)) >= 6) {
        j += 2 + n;
      } else if ((n = hex_run(j)) >= 6) {
        j += n;
      } else {
        j = 0;
      }
      if (j) {
        out += s[i];
        out += "ADDR";
        i = j;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// Four dot-separated groups of one to three digits -> "IP"; each group
// takes as many digits as it can and gives them back when the dot after it
// is missing, as a greedy regular expression does.
std::size_t ip_length(std::string_view s, std::size_t i, int group) {
  std::size_t most = digits_from(s, i);
  if (most > 3) most = 3;
  for (std::size_t n = most; n >= 1; --n) {
    if (group == 3) return n;
    std::size_t j = i + n;
    if (j < s.size() && s[j] == '.') {
      std::size_t rest = ip_length(s, j + 1, group + 1);
      if (rest) return n + 1 + rest;
    }
  }
  return 0;
}

std::string replace_ip_addresses(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (digit(s[i])) {
      if (std::size_t n = ip_length(s, i, 0)) {
        out += "IP";
        i += n;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// ".<word>" followed by one or more ":<digits>" -> ".<word>:LINE": the line
// (and column) of a source file.
std::string replace_line_numbers(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '.') {
      std::size_t j = i + 1;
      while (j < s.size() && word(s[j])) ++j;
      std::size_t k = j;
      while (j > i + 1 && k + 1 < s.size() && s[k] == ':' && digit(s[k + 1]))
        k += 1 + digits_from(s, k + 1);
      if (k > j) {
        out.append(s.substr(i, j - i));
        out += ":LINE";
        i = k;
        continue;
      }
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

// "name+0x12/0x34" -> "name": a function's offset and size differ between
// builds.
std::string drop_offsets(std::string_view s) {
  std::string out;
  std::size_t i = 0;  // next character not yet copied
  std::size_t from = 0;
  while (true) {
    std::size_t plus = s.find("+0x", from);
    if (plus == std::string_view::npos) break;
    from = plus + 1;
    auto name_char = [](char c) { return alnum(c) || c == '_' || c == '.'; };
    std::size_t start = plus;
    while (start > i && name_char(s[start - 1])) --start;
    while (start < plus && !alpha(s[start])) ++start;
    if (plus - start < 2) continue;
    auto lower_alnum_run = [&](std::size_t k) {
      std::size_t e = k;
      while (e < s.size() && (digit(s[e]) || (s[e] >= 'a' && s[e] <= 'z'))) ++e;
      return e - k;
    };
    std::size_t j = plus + 3;
    std::size_t n = lower_alnum_run(j);
    if (n == 0 || s.compare(j + n, 3, "/0x") != 0) continue;
    std::size_t m = lower_alnum_run(j + n + 3);
    if (m == 0) continue;
    out.append(s.substr(i, plus - i));
    i = j + n + 3 + m;
    from = i;
  }
  out.append(s.substr(i));
  return out;
}

// "CPU#<digits>" -> "CPU".
std::string drop_cpu_numbers(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 4, "CPU#") == 0 && digits_from(s, i + 4)) {
      out += "CPU";
      i += 4 + digits_from(s, i + 4);
      continue;
    }
    out += s[i++];
  }
  return out;
}

// A whole number standing alone (a non-word character before it, a
// non-word character or the end after it) -> "NUM"; then any run of seven
// or more digits, even inside a word -> "NUM". Shorter digits inside a word
// stay: they are part of a name (cfg80211, nl802154, loop0).
std::string replace_decimal_numbers(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (digit(s[i])) {
      std::size_t n = digits_from(s, i);
      bool alone = i > 0 && !word(s[i - 1]) && (i + n == s.size() || !word(s[i + n]));
      if (alone || n >= 7) {
        out += "NUM";
      } else {
        out.append(s.substr(i, n));
      }
      i += n;
      continue;
    }
    out += s[i++];
  }
  return out;
}

// A title's leading words -> the kind syzbot files it under; the first
// row with a matching prefix decides, so the specific rows come before the
// defaults at the end. The facts are syzkaller's (pkg/report/crash:
// title_to_type.go and the kind names of types.go): on the corpus' tuning
// part, the kind each log states is this table's kind of its title for
// all 396 titled logs. An empty kind is syzbot's "unknown": the report
// class's own guess stands.
struct KindRow {
  std::initializer_list<std::string_view> prefixes;
  std::string_view kind;
};
const KindRow kKindsByTitle[] = {
    {{"KFENCE: use-after-free write"}, "KFENCE-USE-AFTER-FREE-WRITE"},
    {{"KFENCE: use-after-free"}, "KFENCE-USE-AFTER-FREE-READ"},  // read, or not said
    {{"KFENCE: invalid write", "KFENCE: out-of-bounds write"}, "KFENCE-WRITE"},
    {{"KFENCE: invalid read", "KFENCE: out-of-bounds"}, "KFENCE-READ"},  // read, or not said
    {{"KFENCE: memory corruption"}, "KFENCE-MEMORY-CORRUPTION"},
    {{"KFENCE: invalid free"}, "KFENCE-INVALID-FREE"},
    {{"KMSAN: uninit-value"}, "KMSAN-UNINIT-VALUE"},
    {{"KMSAN: kernel-infoleak-after-free", "KMSAN: kernel-usb-infoleak-after-free",
      "KMSAN: use-after-free"},
     "KMSAN-USE-AFTER-FREE-READ"},
    {{"KMSAN: kernel-infoleak", "KMSAN: kernel-usb-infoleak"}, "KMSAN-INFO-LEAK"},
    {{"KASAN: null-ptr-deref Write"}, "KASAN-NULL-POINTER-DEREFERENCE-WRITE"},
    {{"KASAN: null-ptr-deref Read"}, "KASAN-NULL-POINTER-DEREFERENCE-READ"},
    {{"BUG: unable to handle kernel NULL pointer dereference in"}, "NULL-POINTER-DEREFERENCE"},
    {{"KASAN: global-out-of-bounds Write", "KASAN: out-of-bounds Write",
      "KASAN: slab-out-of-bounds Write", "KASAN: stack-out-of-bounds Write",
      "KASAN: user-memory-access Write", "KASAN: vmalloc-out-of-bounds Write",
      "KASAN: wild-memory-access Write"},
     "KASAN-WRITE"},
    // Out-of-bounds reads; a title that does not say read or write is at
    // least a read.
    {{"KASAN: global-out-of-bounds Read", "KASAN: invalid-access Read", "KASAN: out-of-bounds Read",
      "KASAN: slab-out-of-bounds", "KASAN: stack-out-of-bounds", "KASAN: unknown-crash Read",
      "KASAN: user-memory-access Read", "KASAN: vmalloc-out-of-bounds Read",
      "KASAN: wild-memory-access"},
     "KASAN-READ"},
    {{"KASAN: double-free or invalid-free", "KASAN: invalid-free"}, "KASAN-INVALID-FREE"},
    {{"KASAN: slab-use-after-free Write", "KASAN: use-after-free Write"}, "KASAN-USE-AFTER-FREE-WRITE"},
    {{"KASAN: slab-use-after-free Read", "KASAN: use-after-free"}, "KASAN-USE-AFTER-FREE-READ"},
    {{"BUG: corrupted list", "BUG: unable to handle kernel paging request"}, "MEMORY_SAFETY_BUG"},
    {{"WARNING: refcount bug"}, "REFCOUNT_WARNING"},
    {{"UBSAN: array-index-out-of-bounds"}, "MEMORY_SAFETY_UBSAN"},
    {{"KCSAN: data-race"}, "KCSAN-DATARACE"},
    {{"KCSAN: assert: race in"}, "KCSAN-ASSERT"},
    {{"BUG: bad unlock balance in", "BUG: held lock freed in", "BUG: rwlock", "BUG: spinlock",
      "BUG: still has locks held in", "BUG: using", "WARNING: bad unlock balance in",
      "WARNING: held lock freed in", "WARNING: lock held", "WARNING: locking bug in",
      "WARNING: nested lock was not taken in", "WARNING: still has locks held in",
      "WARNING: suspicious RCU usage in", "inconsistent lock state in", "possible deadlock in"},
     "LOCKDEP"},
    {{"BUG: scheduling while atomic in", "BUG: sleeping function called from invalid context in"},
     "ATOMIC_SLEEP"},
    {{"memory leak in"}, "LEAK"},
    {{"BUG: bad usercopy in", "kernel BUG"}, "BUG"},
    {{"WARNING in"}, "WARNING"},
    // printk()-made reports syzbot files under no kind.
    {{"BUG: stack guard page was hit in", "WARNING: corrupted",
      "WARNING: kernel stack frame pointer has bad value", "WARNING: kernel stack regs has bad"},
     ""},
    {{"BUG: soft lockup in", "INFO: rcu detected stall in", "INFO: task can't die in",
      "INFO: task hung in"},
     "HANG"},
    {{"Alignment trap in", "BUG: Object already free", "Internal error in", "PANIC: double fault",
      "Unhandled fault in", "VFS: Busy inodes after unmount (use-after-free)",
      "VFS: Close: file count is zero (use-after-free)", "divide error in",
      "general protection fault in", "go runtime error", "invalid opcode in", "kernel panic:",
      "kernel stack overflow", "panic:", "rust_kernel panicked", "stack segment fault in",
      "trusty:", "unregister_netdevice: waiting for DEV to become free"},
     "DoS"},
    {{"unexpected kernel reboot"}, "REBOOT"},
    {{"SYZFAIL", "SYZFATAL:"}, "SYZ_FAILURE"},
    // Defaults by the first word.
    {{"WARNING:"}, "WARNING"},
    {{"BUG:", "INFO:"}, ""},
    {{"KASAN:"}, "KASAN-UNKNOWN"},
    {{"KFENCE:"}, "KFENCE-UNKNOWN"},
    {{"KMSAN:"}, "KMSAN-UNKNOWN"},
    {{"UBSAN:"}, "UBSAN"},
    {{"KCSAN:"}, "KCSAN-UNKNOWN"},
};

}  // namespace

std::string kind_of_title(std::string_view title) {
  for (const KindRow& row : kKindsByTitle)
    for (std::string_view p : row.prefixes)
      if (title.substr(0, p.size()) == p) return std::string(row.kind);
  return {};
}

std::string canonical_title(std::string_view raw) {
  std::string t = drop_process_id(raw, "syz-executor", true);
  t = drop_process_id(t, "syzkaller", false);
  t = replace_addresses(t);
  t = replace_ip_addresses(t);
  t = replace_line_numbers(t);
  t = drop_offsets(t);
  t = drop_cpu_numbers(t);
  t = replace_decimal_numbers(t);
  // At most 120 characters of the result are kept (a corrupted line can be
  // very long); tabs become spaces, other control and non-ASCII bytes are
  // dropped, runs of spaces become one, and the ends are trimmed.
  constexpr std::size_t kMaxTitle = 120;
  std::string out;
  char prev = ' ';
  for (std::size_t i = 0; i < t.size() && i < kMaxTitle; ++i) {
    char c = t[i];
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t') {
      c = ' ';
    } else if (u < 0x20 || u >= 0x7f) {
      continue;
    }
    if (c == ' ' && prev == ' ') continue;
    out += c;
    prev = c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace splatscan
