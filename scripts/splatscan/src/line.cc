#include "splatscan/internal.h"

#include <cctype>

namespace splatscan {

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

bool contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  std::size_t e = s.size();
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
    --e;
  return s.substr(b, e - b);
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of a "[ 12.345678]" timestamp at s[0], or 0.
std::size_t timestamp_len(std::string_view s) {
  if (s.empty() || s[0] != '[') return 0;
  std::size_t i = 1;
  while (i < s.size() && s[i] == ' ') ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (digits == 0 || i >= s.size() || s[i] != '.') return 0;
  ++i;
  std::size_t frac = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++frac;
  if (frac == 0 || i >= s.size() || s[i] != ']') return 0;
  return i + 1;
}

// Length of a "[  T123]" / "[ C1]" caller id at s[0], or 0; sets id.
std::size_t caller_len(std::string_view s, std::string_view* id) {
  if (s.empty() || s[0] != '[') return 0;
  std::size_t i = 1;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || (s[i] != 'T' && s[i] != 'C')) return 0;
  std::size_t start = i++;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (digits == 0 || i >= s.size() || s[i] != ']') return 0;
  *id = s.substr(start, i - start);
  return i + 1;
}

bool is_month(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::string_view m : kMonths)
    if (starts_with(s, m) && s.size() > 3 && s[3] == ' ') return true;
  return false;
}

// "HH:MM:SS" at s.
bool is_clock(std::string_view s) {
  return s.size() >= 8 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':' && is_digit(s[3]) &&
         is_digit(s[4]) && s[5] == ':' && is_digit(s[6]) && is_digit(s[7]);
}

// Length of a syslog, journal or `dmesg -T` time prefix at the start of s
// (up to the kernel's own text), or 0.
std::size_t wall_clock_prefix_len(std::string_view s) {
  // "[Wed Dec  2 15:57:30 2026] "
  if (s.size() > 27 && s[0] == '[' && s[4] == ' ' && is_month(s.substr(5))) {
    std::size_t close = s.find(']');
    if (close != std::string_view::npos && close >= 24 && close < 32 && close + 1 < s.size() &&
        s[close + 1] == ' ' && is_clock(s.substr(close - 13)))
      return close + 2;
  }
  bool dated = false;
  if (is_month(s)) {  // "Dec  2 15:57:30 host kernel: "
    std::size_t i = 4;
    while (i < s.size() && s[i] == ' ') ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    dated = i + 1 < s.size() && s[i] == ' ' && is_clock(s.substr(i + 1));
  } else if (s.size() > 19 && is_digit(s[0]) && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
             is_clock(s.substr(11))) {  // "2026-12-02T15:57:30..."
    dated = true;
  }
  if (!dated) return 0;
  std::size_t k = s.substr(0, 96).find(" kernel: ");
  if (k == std::string_view::npos) return 0;
  return k + 9;
}

// "kern  :warn  : " as `dmesg -x` prints it: the facility and the level,
// each padded and followed by ':'. Its length, or 0.
std::size_t facility_level_prefix_len(std::string_view s) {
  static constexpr std::string_view kFacilities[] = {
      "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
      "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5",
      "local6", "local7"};
  static constexpr std::string_view kLevels[] = {"emerg", "alert", "crit", "err",
                                                 "warn",  "notice", "info", "debug"};
  auto word_then_colon = [&s](std::size_t i, auto& words) -> std::size_t {
    for (std::string_view w : words) {
      if (s.compare(i, w.size(), w) != 0) continue;
      std::size_t j = i + w.size();
      while (j < s.size() && s[j] == ' ') ++j;
      if (j < s.size() && s[j] == ':') return j + 1;
    }
    return 0;
  };
  std::size_t i = word_then_colon(0, kFacilities);
  if (!i) return 0;
  i = word_then_colon(i, kLevels);
  if (!i || i >= s.size() || s[i] != ' ') return 0;
  return i + 1;
}

}  // namespace

LogLine strip_prefix(std::string_view raw) {
  LogLine out;
  std::string_view s = raw;
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  // Syslog level "<4>".
  if (s.size() >= 3 && s[0] == '<' && is_digit(s[1])) {
    std::size_t i = 1;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i < s.size() && s[i] == '>') s.remove_prefix(i + 1);
  }
  // `dmesg -x` names facility and level first: "kern  :warn  : ".
  if (std::size_t n = facility_level_prefix_len(s)) s.remove_prefix(n);
  // A log read back from syslog or the journal: "Dec  2 15:57:30 host kernel: ",
  // "2026-12-02T15:57:30.123456+00:00 host kernel: " (journalctl -o
  // short-iso), or from `dmesg -T`: "[Wed Dec  2 15:57:30 2026] ". The
  // wall-clock time stands where printk's timestamp stood.
  if (std::size_t n = wall_clock_prefix_len(s)) {
    s.remove_prefix(n);
    out.stamped = true;
  }
  // The fuzzer's own log lines: "2018/01/09 14:28:48 BUG: memory leak".
  if (s.size() > 20 && s[4] == '/' && s[7] == '/' && s[10] == ' ' && s[13] == ':' &&
      s[16] == ':' && s[19] == ' ' && is_digit(s[0]) && is_digit(s[18]))
    s.remove_prefix(20);
  // A getty prompt that kernel output continued ("syzkaller login: [ 1.2] ..."
  // or "host login: Unable to handle ..."): the prompt is not part of it.
  if (std::size_t lp = s.substr(0, 72).find(" login: "); lp != std::string_view::npos && lp > 0 &&
                                          s.substr(0, lp).find(' ') == std::string_view::npos)
    s.remove_prefix(lp + 8);
  // The timestamp may follow another logger's prefix ("... kernel: [ 1.2]"),
  // so look for it within the first stretch of the line.
  std::size_t limit = s.size() < 96 ? s.size() : 96;
  for (std::size_t pos = 0; pos < limit; ++pos) {
    if (s[pos] != '[') continue;
    std::size_t n = timestamp_len(s.substr(pos));
    if (n == 0) continue;
    // What stands before it is a logger's prefix, or the start of a line
    // printed without a timestamp that lost its newline ("BUG: unable to
    // handle kernel [  153.6] deprecated ..."): kept, as for inner ones.
    if (pos > 0) out.before = trim(s.substr(0, pos));
    s.remove_prefix(pos + n);
    out.stamped = true;
    break;
  }
  std::string_view id;
  if (std::size_t n = caller_len(s, &id)) {
    out.caller = id;
    s.remove_prefix(n);
  }
  // Lines merged by a lost newline ("...bytes[   76.47] BUG: ...") or after
  // "** N printk messages dropped **": the report starts at the inner prefix.
  // The text before the first inner prefix is `before` (unless a logger's
  // prefix already is), the text after the last one is the body, and any
  // lines between them are `middle`.
  const char* middle_begin = nullptr;
  const char* last_prefix = nullptr;
  bool middle_from_here = !out.before.empty();  // a logger's prefix is `before`
  for (std::size_t pos = s.find('['); pos != std::string_view::npos;) {
    std::size_t n = timestamp_len(s.substr(pos));
    if (n == 0) {
      pos = s.find('[', pos + 1);
      continue;
    }
    if (middle_from_here && !middle_begin) {
      middle_begin = s.data();
      out.middle_caller = out.caller;
    }
    bool before_now = false;
    if (out.before.empty()) {
      out.before = trim(s.substr(0, pos));
      out.before_caller = out.caller;
      before_now = !out.before.empty();
    }
    last_prefix = s.data() + pos;
    s.remove_prefix(pos + n);
    std::string_view inner;
    if (std::size_t m = caller_len(s, &inner)) {
      out.caller = inner;
      s.remove_prefix(m);
    }
    if (before_now) {
      // The lines between `before` and the body start after this prefix.
      middle_from_here = true;
      middle_begin = s.data();
      out.middle_caller = out.caller;
    }
    // From the start again: prefixes printed back to back ("[ 1.0][T1][ 1.1][T2] BUG").
    pos = s.find('[');
  }
  if (middle_begin && last_prefix > middle_begin)
    out.middle = std::string_view(middle_begin, static_cast<std::size_t>(last_prefix - middle_begin));
  else
    out.middle_caller = {};
  // printk puts one space after the prefix; keep further indentation.
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  out.body = s;
  return out;
}

std::vector<MergedLine> merged_lines(const LogLine& ll) {
  std::vector<MergedLine> out;
  std::string_view s = ll.middle;
  std::string_view caller = ll.middle_caller;
  while (!s.empty()) {
    std::size_t pos = s.find('[');
    std::size_t n = 0;
    while (pos != std::string_view::npos && (n = timestamp_len(s.substr(pos))) == 0)
      pos = s.find('[', pos + 1);
    if (pos == std::string_view::npos) pos = s.size();
    if (std::string_view text = trim(s.substr(0, pos)); !text.empty()) out.push_back({text, caller});
    if (pos == s.size()) break;
    s.remove_prefix(pos + n);
    std::string_view inner;
    if (std::size_t m = caller_len(s, &inner)) {
      caller = inner;
      s.remove_prefix(m);
    }
  }
  return out;
}

namespace {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == '$';
}

bool is_hex_number(std::string_view s) {
  if (s.empty()) return false;
  if (starts_with(s, "0x")) s.remove_prefix(2);
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Skips "[<ffffffff81000000>]" and "[ffff...]" address tokens and spaces.
std::string_view skip_addresses(std::string_view s) {
  for (;;) {
    s = trim(s);
    if (starts_with(s, "[<") || (starts_with(s, "[") && s.size() > 2 &&
                                 std::isxdigit(static_cast<unsigned char>(s[1])))) {
      std::size_t close = s.find(']');
      if (close == std::string_view::npos) return s;
      std::string_view inner = s.substr(1, close - 1);
      if (starts_with(inner, "<")) inner.remove_prefix(1);
      if (!inner.empty() && inner.back() == '>') inner.remove_suffix(1);
      if (!is_hex_number(inner)) return s;
      s.remove_prefix(close + 1);
      continue;
    }
    return s;
  }
}

// Reads "func+0xNN/0xMM" (the "/0xMM" part optional) at the start of s.
std::optional<std::string_view> read_symbol_offset(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_ident_char(s[i])) ++i;
  if (i == 0) return std::nullopt;
  std::string_view name = s.substr(0, i);
  if (!starts_with(s.substr(i), "+0x")) return std::nullopt;
  if (is_hex_number(name) || std::isdigit(static_cast<unsigned char>(name[0])))
    return std::nullopt;
  return name;
}

}  // namespace

std::string source_file(std::string_view s) {
  while (!s.empty()) {
    s = trim(s);
    std::size_t end = s.find(' ');
    std::string_view tok = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
    std::size_t colon = tok.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= tok.size()) continue;
    std::string_view path = tok.substr(0, colon);
    bool digits = true;
    for (char c : tok.substr(colon + 1))
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
    std::size_t dot = path.rfind('.');
    if (!digits || dot == std::string_view::npos || dot + 1 >= path.size()) continue;
    bool plain = true;
    for (char c : path)
      plain = plain && (is_ident_char(c) || c == '/' || c == '-' || c == '+');
    if (plain && std::isalpha(static_cast<unsigned char>(path[dot + 1]))) return std::string(path);
  }
  return {};
}

std::optional<Frame> parse_frame(std::string_view body) {
  std::string_view s = skip_addresses(body);
  Frame f;
  if (starts_with(s, "? ")) {
    f.reliable = false;
    s = skip_addresses(s.substr(2));
  }
  // arm: "[<c0>] (func+0x1/0x2) from [<c0>] (caller+0x..)", also "(memset) from".
  if (starts_with(s, "(")) {
    s.remove_prefix(1);
    std::size_t close = s.find(')');
    std::size_t plus = s.find("+0x");
    if (close != std::string_view::npos && close < plus) {
      std::string_view name = s.substr(0, close);
      bool ident = !name.empty();
      for (char c : name) ident = ident && is_ident_char(c);
      if (!ident) return std::nullopt;
      f.func = normalize_func(name);
      std::string_view rest = s.substr(close + 1);
      std::size_t from = rest.find(" from ");
      if (from != std::string_view::npos) {
        rest = skip_addresses(rest.substr(from + 6));
        if (starts_with(rest, "(")) {
          if (auto caller = read_symbol_offset(rest.substr(1))) f.from = normalize_func(*caller);
        }
      }
      return f;
    }
  }
  if (auto name = read_symbol_offset(s)) {
    f.func = normalize_func(*name);
    f.file = source_file(s.substr(name->size()));
    return f;
  }
  std::size_t i = 0;
  while (i < s.size() && is_ident_char(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != ' ') return std::nullopt;
  std::string_view rest = s.substr(i + 1);
  // arm built without CONFIG_BACKTRACE_VERBOSE prints each level as
  // "func from caller+0x1/0x2" (dump_backtrace_entry in
  // arch/arm/kernel/traps.c), with no "Backtrace:" line before it. Only the
  // whole line in that shape is a frame ("... called from foo+0x1/0x2 with
  // ..." is a message, not a trace).
  if (starts_with(rest, "from ") && !is_hex_number(s.substr(0, i))) {
    std::string_view after = rest.substr(5);
    if (auto caller = read_symbol_offset(after)) {
      std::string_view tail = after.substr(caller->size());
      std::size_t end = tail.find(' ');
      std::string_view extra = end == std::string_view::npos ? std::string_view() : trim(tail.substr(end));
      bool module = extra.empty() || (starts_with(extra, "[") && extra.back() == ']' &&
                                      extra.find(' ') == std::string_view::npos);
      if (!module) return std::nullopt;
      f.func = normalize_func(s.substr(0, i));
      f.from = normalize_func(*caller);
      return f;
    }
  }
  // The kernel's scripts/decode_stacktrace.sh replaces "func+0x1/0x2" by
  // "func (path/file.c:123)", or by "func (inlined.h:12 path/file.c:34)"
  // when code was inlined into func: a frame of func either way. addr2line
  // may add " (discriminator 2)" after a location; it is no location.
  // One pass copies the line without them (a line may hold many).
  std::string without_discriminators;
  if (contains(rest, " (discriminator ")) {
    constexpr std::string_view kMark = " (discriminator ";
    std::size_t from = 0;
    for (std::size_t at = rest.find(kMark); at != std::string_view::npos; at = rest.find(kMark, from)) {
      std::size_t digits = at + kMark.size(), k = digits;
      while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k]))) ++k;
      if (k == digits || k >= rest.size() || rest[k] != ')') break;
      without_discriminators.append(rest.substr(from, at - from));
      from = k + 1;
    }
    without_discriminators.append(rest.substr(from));
    rest = without_discriminators;
  }
  // Where addr2line knows no line it prints "path/file.c:?", and "??:?"
  // (or "??:0") where it knows no file either (code without debug
  // information): still a frame of func, with the file when there is one.
  if (starts_with(rest, "(") && rest.find(')') != std::string_view::npos) {
    std::string_view locs = rest.substr(1, rest.find(')') - 1);
    bool all_locations = !locs.empty();
    std::string file;
    for (std::string_view l = locs; all_locations && !l.empty();) {
      std::size_t sp = l.find(' ');
      std::string_view tok = l.substr(0, sp);
      std::string known = source_file(tok);
      if (tok == "??:?" || tok == "??:0") {
        all_locations = true;  // older binutils print "??:0"
      } else if (known.empty() && tok.size() > 2 && tok.substr(tok.size() - 2) == ":?") {
        known = source_file(std::string(tok.substr(0, tok.size() - 2)) + ":0");
        all_locations = !known.empty();
      } else {
        all_locations = !known.empty();
      }
      file = known;  // the last location is func's own
      l = sp == std::string_view::npos ? std::string_view() : l.substr(sp + 1);
    }
    if (all_locations && !is_hex_number(s.substr(0, i))) {
      f.func = normalize_func(s.substr(0, i));
      f.file = file;
      f.inlined = contains(rest, "[inline]");
      return f;
    }
  }
  // Symbolised inline frame: "func path/file.c:123 [inline]".
  if (!contains(rest, "[inline]")) return std::nullopt;
  // The location is one "path/file.c:12" token.
  std::size_t colon = rest.find(':');
  std::size_t space = rest.find(' ');
  if (colon == std::string_view::npos || colon == 0 || colon > space ||
      !contains(rest.substr(0, colon), "."))
    return std::nullopt;
  f.func = normalize_func(s.substr(0, i));
  f.inlined = true;
  f.file = source_file(rest);
  return f;
}

std::optional<Frame> parse_decoded_frame(std::string_view s) {
  constexpr std::size_t kMaxLocations = 2048;  // an inlined chain is a few hundred
  std::size_t j = 0;
  while (j < s.size() && is_ident_char(s[j])) ++j;
  if (j == 0 || s.compare(j, 2, " (") != 0) return std::nullopt;
  int depth = 0;
  for (std::size_t k = j + 1; k < s.size() && k < j + 1 + kMaxLocations; ++k) {
    if (s[k] == '(') {
      if (depth > 0 && s.compare(k, 15, "(discriminator ") != 0) return std::nullopt;
      ++depth;
    }
    if (s[k] == ')' && --depth == 0) {
      std::optional<Frame> f = parse_frame(s.substr(0, k + 1));
      if (!f || f->func.empty()) return std::nullopt;
      return f;
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_ip_line(std::string_view body) {
  if (auto f = parse_ip_frame(body)) return f->func;
  return std::nullopt;
}

std::optional<Frame> parse_ip_frame(std::string_view body) {
  std::string_view s = trim(body);
  // MIPS pads its "epc" to line up with the registers ("epc   : ").
  std::string unpadded;
  if (starts_with(s, "epc ")) {
    std::size_t colon = s.find_first_not_of(' ', 3);
    if (colon != std::string_view::npos && s[colon] == ':') unpadded = "epc " + std::string(s.substr(colon));
  }
  if (!unpadded.empty()) s = unpadded;
  static constexpr std::string_view kPrefixes[] = {
      "RIP: ", "EIP: ", "IP: ", "pc : ", "PC is at ", "NIP [", "epc : ", "PC: ", "ERA: "};
  for (std::string_view p : kPrefixes) {
    if (!starts_with(s, p)) continue;
    std::string_view rest = s.substr(p.size());
    // MIPS and LoongArch print the address bare before the symbol
    // ("epc : 805e91f0 foo+0x1/0x2", "ERA: 9000000004 foo+0x1/0x2").
    if (p == "epc : " || p == "ERA: ") {
      std::size_t sp = rest.find(' ');
      if (sp != std::string_view::npos && is_hex_number(rest.substr(0, sp))) rest = rest.substr(sp + 1);
    }
    if (p == "NIP [") {
      std::size_t close = rest.find("] ");
      if (close == std::string_view::npos) return std::nullopt;
      rest = rest.substr(close + 2);
    }
    // "RIP: 0010:func+0x..." and "EIP: 0060:[<c1000000>] func" carry a segment.
    std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && colon <= 4 &&
        is_hex_number(rest.substr(0, colon)))
      rest = rest.substr(colon + 1);
    rest = skip_addresses(rest);
    if (auto name = read_symbol_offset(rest)) {
      Frame f;
      f.func = normalize_func(*name);
      f.file = source_file(rest.substr(name->size()));
      return f;
    }
    // Decoded by scripts/decode_stacktrace.sh: "RIP: 0010:func (file.c:12)".
    return parse_decoded_frame(rest);
  }
  return std::nullopt;
}

std::string normalize_func(std::string_view func) {
  // C++ code (or a fuzzer's stub) appears as a mangled "_Z<len><name>...".
  if (starts_with(func, "_Z") && func.size() > 3 && is_digit(func[2])) {
    std::size_t i = 2, len = 0;
    while (i < func.size() && is_digit(func[i])) len = len * 10 + (func[i++] - '0');
    if (len > 0 && i + len <= func.size()) func = func.substr(i, len);
  }
  std::string f(func);
  // Compiler clones: foo.constprop.0, foo.isra.12, foo.part.3, foo.cold.
  std::size_t dot = f.find('.');
  if (dot != std::string::npos && dot > 0) f.resize(dot);
  // Syscall wrappers lose their prefixes the way syzkaller's pkg/report
  // strips them (stripFramePrefixes in linux.go): one prefix of the list is
  // taken off, the one that leaves the shortest name, so "__x64_sys_bpf"
  // becomes "sys_bpf", "__se_sys_ioctl" "ioctl", and "__do_sys_openat2" or
  // "__sys_sendmsg" the bare "openat2", "sendmsg".
  static constexpr std::string_view kSyscallPrefixes[] = {
      "SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_",
      "__sys_", "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_"};
  std::size_t cut = 0;
  for (std::string_view p : kSyscallPrefixes)
    if (starts_with(f, p) && f.size() > p.size() && p.size() > cut) cut = p.size();
  f.erase(0, cut);
  return f;
}

}  // namespace splatscan
