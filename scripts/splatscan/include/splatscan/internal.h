// Building blocks of the scanner, exposed for unit tests.
#ifndef SPLATSCAN_INTERNAL_H
#define SPLATSCAN_INTERNAL_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splatscan {

// A console line with its printk decorations removed.
struct LogLine {
  std::string_view body;    // text after timestamp and caller id
  std::string_view caller;  // "T123" or "C1" from CONFIG_PRINTK_CALLER, or empty
  // When a lost newline merged two lines ("BUG: unable to handle kernel
  // [  153.6] other text"), the text before the inner prefix; body holds the
  // text after it. Either may start a report.
  std::string_view before;
  std::string_view before_caller;  // the caller id printed before `before`
  // Merged lines between `before` and `body`, as printed (each after the
  // first still led by its timestamp); see merged_lines. There are some with
  // three or more lines merged, or with two when a logger's prefix is
  // `before`. middle_caller is the caller id of the first of them.
  std::string_view middle;
  std::string_view middle_caller;
  bool stamped = false;  // the line carried a printk timestamp
};

// One of the lines LogLine::middle holds, with the caller id printed before it.
struct MergedLine {
  std::string_view text;
  std::string_view caller;
};
std::vector<MergedLine> merged_lines(const LogLine& ll);

// Strips a syslog "<N>" level, a "[ 12.345678]" timestamp (also when a
// syslog daemon put its own prefix in front) and a "[T123]"/"[ C1]" caller id.
LogLine strip_prefix(std::string_view raw);

bool starts_with(std::string_view s, std::string_view p);
bool contains(std::string_view s, std::string_view p);
std::string_view trim(std::string_view s);

// One entry of a stack trace or an instruction-pointer line.
struct Frame {
  std::string func;      // normalised: no .constprop/.isra/.cold suffix
  bool reliable = true;  // false for "? func+0x..." guesses
  bool inlined = false;  // "func file.c:12 [inline]"
  // arm "(func) from (caller+0x..)": the return address names the caller,
  // which differs from the next line's function after a noreturn call.
  std::string from;
  // Source file the frame comes from when the log is symbolised
  // ("mm/slub.c" from " kfree+0x1/0x2 mm/slub.c:123"), else empty.
  std::string file;
};

// The source file named by the first "path/file.c:123" token of s, or empty.
std::string source_file(std::string_view s);

// Parses a call-trace line (" func+0x1/0x2", " [<ffffffff8100>] ? func+...",
// " func file.c:12 [inline]", arm "(func+0x1/0x2) from ..."). nullopt when
// the line is not a frame.
std::optional<Frame> parse_frame(std::string_view body);

// A frame as scripts/decode_stacktrace.sh prints it, "func (path/file.c:12)",
// at the start of s: only when the parenthesised locations close within
// 2 KiB with no parenthesis inside but addr2line's "(discriminator N)", so
// a long line that merely holds "word (" many times costs each try little.
std::optional<Frame> parse_decoded_frame(std::string_view s);

// Function named by an instruction-pointer line: "RIP: 0010:func+0x1/0x2",
// "IP: [<..>] func+..", "pc : func+..", "PC is at func+..", "EIP: func+..",
// or decoded, "RIP: 0010:func (file.c:12)".
std::optional<std::string> parse_ip_line(std::string_view body);

// The same line's frame: the function, and its file when the line says it
// ("func+0x1/0x2 path/file.c:12", decoded "func (path/file.c:12)").
std::optional<Frame> parse_ip_frame(std::string_view body);

// Removes compiler suffixes and syscall wrapper prefixes so that titles are
// stable across builds ("__x64_sys_close" -> "sys_close").
std::string normalize_func(std::string_view func);

// Every title's last step (title.cc): addresses, process ids, line numbers,
// offsets and stand-alone numbers replaced by fixed words, control
// characters dropped, spaces collapsed, at most 120 characters, as syzkaller
// words its titles.
std::string canonical_title(std::string_view raw);

// The kind syzbot files a title under ("KASAN-USE-AFTER-FREE-READ",
// "LOCKDEP", "HANG", ...), or empty when it files it under none.
std::string kind_of_title(std::string_view title);

}  // namespace splatscan

#endif
