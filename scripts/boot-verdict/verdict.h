// boot-verdict: turn one boot-test run directory (serial.log, run.env) into
// splats.json, ktap.txt, summary.json and an exit code.
#ifndef IRQFD_RIG_VERDICT_H
#define IRQFD_RIG_VERDICT_H

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "splatscan/scanner.h"

namespace rig {

// Exit codes of boot-verdict and `make boot-test`. git bisect run reads
// 1-124 as bad and 125 as "cannot test this commit".
enum class Verdict { kPass, kTestFailure, kSplat, kTimeout, kInfraError };
int exit_code(Verdict v);
const char* verdict_name(Verdict v);

struct KtapResult {
  int number = 0;
  std::string name;
  bool ok = false;
  bool skipped = false;
  std::string skip_reason;  // what follows "# SKIP"
};

struct Ktap {
  std::vector<std::string> lines;  // the KTAP document as found in the log
  int planned = -1;                // from "1..N"
  std::vector<KtapResult> results; // top-level results only
  int passed() const;
  int failed() const;
  int skipped() const;
};

// Pulls the selftest's KTAP out of a console log that kernel messages may
// interleave with: from "KTAP version 1" on, top-level and indented results,
// plans and "#" diagnostics.
Ktap extract_ktap(std::string_view serial_log);

// KEY=value lines (run.env).
std::map<std::string, std::string> parse_env(std::string_view text);

struct Decision {
  Verdict verdict;
  std::string reason;  // one sentence a developer reads first
};

// The splats found in serial.log, or, when the log holds none but the
// supervisor's live scan saw one (the log could not be written), that one.
std::vector<splatscan::Report> with_live_splats(const std::map<std::string, std::string>& run,
                                                std::vector<splatscan::Report> splats);

// What the guest ran: the selftest (judged by its KTAP and status) or a
// command of the user's (make run: judged by its exit status alone).
enum class Guest { kSelftest, kCommand };

Decision decide(const std::map<std::string, std::string>& run,
                const std::vector<splatscan::Report>& splats, const Ktap& ktap,
                Guest guest = Guest::kSelftest);

// What `--meta`, `--number` and `--list` add to summary.json.
struct Meta {
  std::map<std::string, std::string> strings;
  std::map<std::string, double> numbers;  // durations and sizes
  std::map<std::string, std::vector<std::string>> lists;
};

// What an earlier summary.json of the run recorded about it (variant,
// patches, hashes, phase durations: its strings, lists of strings and
// durations_s less the guest's), added to *meta where *meta has no value for
// the key: judging a run again (boot-verdict --again) keeps what only the
// first judgement was told. False, with *error set, when the text is not a
// JSON object.
bool merge_recorded_meta(std::string_view summary_json_text, Meta* meta, std::string* error);

// Where a report points, from symbolize-splats (DIR/frames.json): the
// guilty frame's "file:line" and who maintains that file. Keyed by the
// report's line in serial.log.
struct Symbolized {
  std::string at;  // "virt/kvm/eventfd.c:238"; empty when not resolved
  std::vector<std::string> maintainers;
};
using SymbolizedReports = std::map<std::size_t, Symbolized>;

// " at FILE:LINE (maintainers: A, B)" for the first report, when known: what
// the reason adds so that the one line says where and whom to tell.
std::string where_and_whom(const std::vector<splatscan::Report>& splats, const SymbolizedReports& sym);

std::string summary_json(const Decision& d, const std::map<std::string, std::string>& run,
                         const std::vector<splatscan::Report>& splats, const Ktap& ktap,
                         const Meta& meta, std::string_view serial_log,
                         const SymbolizedReports& sym = {});

}  // namespace rig

#endif
