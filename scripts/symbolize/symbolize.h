// symbolize: the frames of a kernel report as file:line in the kernel tree,
// the guilty one marked, and who maintains its file.
//
// The work is done by the tools a kernel developer would use by hand:
// `nm -S vmlinux` for each function's address and size, one `addr2line -a
// -f -i -e vmlinux` for every frame of every report (inlined callers
// included), and the tree's own `scripts/get_maintainer.pl -f` on the
// guilty file. This file holds the parsing and the decisions, so that they
// are tested without a kernel; main.cc runs the tools.
#ifndef IRQFD_RIG_SYMBOLIZE_H
#define IRQFD_RIG_SYMBOLIZE_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rig::symbolize {

// One "func+0xOFF/0xLEN" of a report.
struct Frame {
  std::string function;  // as printed, suffixes such as ".isra.0" kept
  uint64_t offset = 0;
  uint64_t length = 0;
  bool rip = false;        // "RIP: 0010:func+..": the faulting instruction itself
  bool reliable = true;    // false for "? func+..": a stale value on the stack
  std::string module;      // "[kvm]" after the frame, without brackets
  std::string stack;       // the header it is under: "Call Trace", "Freed by task 90", ...
};

// Every frame of one report's text, in order.
std::vector<Frame> parse_frames(std::string_view report_text);

// `nm -S` output: name -> (address, size) of text symbols (t, T, w, W).
using SymbolTable = std::multimap<std::string, std::pair<uint64_t, uint64_t>, std::less<>>;
SymbolTable parse_nm(std::string_view nm_output);

// The address addr2line is asked about: the symbol's (the one of the
// frame's size when a name has several) plus the offset, minus one for a
// return address so that the line is the call's, not the next one's.
std::optional<uint64_t> frame_address(const Frame& f, const SymbolTable& symbols);

struct Location {
  std::string function;
  std::string file;  // relative to the kernel tree when it lies in it
  int line = 0;      // 0: unknown
};

// `addr2line -a -f -i` output: per address, its inline chain, innermost
// first (the last entry is the frame's own function).
std::map<uint64_t, std::vector<Location>> parse_addr2line(std::string_view output);

// A path as DWARF records it ("../../linux/virt/kvm/eventfd.c", an absolute
// one, ...) made relative to the kernel tree: the longest suffix that names
// a file under `tree` (exists(path) tells). Paths outside it stay as given.
std::string tree_relative(const std::string& path, const std::string& tree,
                          bool (*exists)(const std::string&));

// The function a title blames: what follows its last " in ", if any
// ("KASAN: slab-use-after-free Read in eventfd_ctx_remove_wait_queue").
std::string guilty_function(std::string_view title);

// A function name without GCC's clone suffixes (".isra.0", ".cold", ...).
std::string base_name(std::string_view function);

// One report, symbolized: the JSON object symbolize-splats writes for it
// ({line, title, frames: [...], guilty, maintainers}).
struct Resolved {
  const Frame* frame;
  std::vector<Location> chain;  // empty when addr2line knew nothing
};
nlohmann::json report_json(std::size_t line, const std::string& title,
                           const std::vector<Resolved>& frames,
                           const std::vector<std::string>& maintainers);

// Index of the guilty frame among `frames`: the first reliable frame whose
// function (or a function inlined into it) is the one the title blames;
// -1 when none is.
int guilty_index(std::string_view title, const std::vector<Resolved>& frames);

// `get_maintainer.pl` output lines, without empty ones.
std::vector<std::string> parse_maintainers(std::string_view output);

}  // namespace rig::symbolize

#endif
