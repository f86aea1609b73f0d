// stress-report: what N boot-tests of one kernel found, from their
// summary.json files: per splat title and per failing test how many runs,
// the first run and its seed, the time to the first report; the detection
// rate with its Wilson 95% interval.
#ifndef IRQFD_RIG_STRESS_REPORT_H
#define IRQFD_RIG_STRESS_REPORT_H

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rig::stress {

// One boot-test of the campaign, as stress.sh recorded it.
struct BootRun {
  int index = 0;          // 1..N, in the order started
  std::string seed;       // --hammer-seed
  std::string dir;        // its run directory
  int exit_code = -1;     // boot-test's
  double start_s = 0;     // seconds since the campaign started
  double end_s = 0;
  nlohmann::json summary; // its summary.json (null when missing)
};

// Wilson score interval for k successes in n trials at z (1.96: 95%).
struct Interval {
  double low = 0, high = 0;
};
Interval wilson(int k, int n, double z = 1.96);

// The campaign's report as JSON (stress.json) ...
nlohmann::json report(const std::vector<BootRun>& runs, const nlohmann::json& campaign);
// ... and as the table a developer reads.
std::string table(const nlohmann::json& report);

}  // namespace rig::stress

#endif
