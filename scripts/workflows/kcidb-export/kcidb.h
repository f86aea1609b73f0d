// kcidb-export: one boot-test run directory as a KCIDB submission (the JSON
// that KernelCI's result database ingests, https://docs.kernelci.org/kcidb/).
#ifndef IRQFD_RIG_KCIDB_H
#define IRQFD_RIG_KCIDB_H

#include <string>

#include <nlohmann/json.hpp>

namespace rig::kcidb {

// The schema version written: the latest that kcidb-io (../shared/vendor)
// knows. tests/kcidb checks that the two agree.
constexpr int kSchemaMajor = 5;
constexpr int kSchemaMinor = 3;

struct Options {
  std::string origin = "irqfd_rig";  // KCIDB's origin: [a-z0-9_]+
  std::string run_name;              // the run directory's name: unique per run
  std::string start_time;            // RFC 3339, or empty when unknown
  std::string log_url;               // URL of serial.log, or empty
};

// True when s is a valid KCIDB origin name.
bool valid_origin(const std::string& s);

// One node of a KCIDB test path: [a-zA-Z0-9_-]+, anything else becomes '_'.
std::string path_node(const std::string& s);

// "20261201-023433-series.2" -> "2026-12-01T02:34:33+00:00" (boot-test's
// stamps are UTC); empty when the name does not start with a stamp.
std::string start_time_from_run_name(const std::string& run_name);

// summary.json (boot-verdict) and splats.json (the scanner's reports, for
// the log excerpts; may be null) -> a KCIDB submission: one checkout (the
// pinned kernel plus the variant's patches), one build (its config), and
// the tests: "boot", the suite "irqfd_selftest" and each KTAP result under
// it, and each kernel splat as a failing "kernel_splat.<kind>" test.
nlohmann::json submission(const nlohmann::json& summary, const nlohmann::json& splats,
                          const Options& opt);

}  // namespace rig::kcidb

#endif
