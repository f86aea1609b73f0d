#include "options.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace irqfd {

namespace {

HammerOptions g_options;

// A whole decimal number in [lo, hi]; strtoull alone would accept "12x",
// " 12", "-1" (wrapped) and "" silently.
bool parse_number(const std::string& text, uint64_t lo, uint64_t hi, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0') return false;
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

struct IntFlag {
  const char* name;
  uint64_t lo, hi;
  const char* help;
};

// The int-valued flags and their bounds: wide enough for real use, narrow
// enough that a typo (an extra zero of threads) fails instead of hanging.
const IntFlag kFlags[] = {
    {"--hammer-seconds", 1, 24 * 3600, "total seconds of all Hammer.* tests run (default 30)"},
    {"--hammer-threads", 1, 256, "threads per scenario (default 4)"},
    {"--hammer-vms", 1, 64, "VMs shared by a scenario's threads (default 2)"},
    {"--hammer-seed", 0, std::numeric_limits<uint64_t>::max(),
     "replay this seed (default: drawn from time and pid, printed on the first line)"},
    {"--hammer-resample-irqfds", 1, 4096,
     "RESAMPLE irqfds per VM in Hammer.ResampleTeardown (default 32)"},
    {"--test-timeout", 1, 24 * 3600,
     "seconds before a test's process is killed and the test failed (default 60;"
     " Hammer.* tests get their planned duration on top)"},
};

// Ours: every --hammer-* flag (so a misspelt one is an error, not a
// GoogleTest warning) and --test-timeout.
bool is_ours(const std::string& arg) {
  return arg.rfind("--hammer-", 0) == 0 || arg == "--test-timeout" ||
         arg.rfind("--test-timeout=", 0) == 0;
}

void store(HammerOptions* o, const std::string& name, uint64_t v) {
  if (name == "--hammer-seconds") o->seconds = static_cast<int>(v);
  else if (name == "--hammer-threads") o->threads = static_cast<int>(v);
  else if (name == "--hammer-vms") o->vms = static_cast<int>(v);
  else if (name == "--hammer-seed") {
    o->seed = v;
    o->seed_given = true;
  }
  else if (name == "--hammer-resample-irqfds") o->resample_irqfds = static_cast<int>(v);
  else if (name == "--test-timeout") o->test_timeout = static_cast<int>(v);
}

}  // namespace

bool parse_hammer_options(int* argc, char** argv, HammerOptions* opts, std::string* error) {
  int kept = 1;  // argv[0] stays
  for (int i = 1; i < *argc; ++i) {
    std::string arg = argv[i];
    if (!is_ours(arg)) {
      argv[kept++] = argv[i];
      continue;
    }
    std::string::size_type eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    const IntFlag* flag = nullptr;
    for (const IntFlag& f : kFlags)
      if (name == f.name) flag = &f;
    if (!flag) {
      *error = "unknown option " + name + "; known:\n" + hammer_options_usage();
      return false;
    }
    if (eq == std::string::npos) {
      *error = name + " needs a value: " + name + "=N";
      return false;
    }
    uint64_t v = 0;
    std::string value = arg.substr(eq + 1);
    if (!parse_number(value, flag->lo, flag->hi, &v)) {
      *error = "bad value '" + value + "' for " + name + ": want a whole number in [" +
               std::to_string(flag->lo) + ", " + std::to_string(flag->hi) + "]";
      return false;
    }
    store(opts, name, v);
  }
  *argc = kept;
  argv[kept] = nullptr;  // argv is null-terminated, as GoogleTest expects
  return true;
}

std::string hammer_options_usage() {
  std::string s;
  for (const IntFlag& f : kFlags) s += std::string("  ") + f.name + "=N  " + f.help + "\n";
  return s;
}

const HammerOptions& hammer_options() { return g_options; }
void set_hammer_options(const HammerOptions& opts) { g_options = opts; }

}  // namespace irqfd
