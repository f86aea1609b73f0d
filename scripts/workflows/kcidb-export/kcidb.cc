#include "kcidb.h"

#include <cstdint>
#include <cstdio>

namespace rig::kcidb {

using nlohmann::json;

namespace {

// KCIDB caps every log excerpt at 16 KiB characters.
constexpr std::size_t kMaxExcerpt = 16384;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* number_at(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? &*it : nullptr;
}

// FNV-1a: a stable short hash for ids (std::hash may differ between builds).
std::string fnv1a_hex(const std::string& s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// KCIDB strings may hold anything but NUL; excerpts are capped, cut on a
// UTF-8 character boundary.
std::string excerpt(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '\0') out += c;
  if (out.size() > kMaxExcerpt) {
    std::size_t cut = kMaxExcerpt;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

std::vector<std::string> string_list(const json& j, const char* key) {
  std::vector<std::string> v;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return v;
  for (const auto& e : *it)
    if (e.is_string()) v.push_back(e.get<std::string>());
  return v;
}

// "IrqfdTest.Assign/0" -> "IrqfdTest.Assign_0": GoogleTest's dots are the
// tree's dots; every node is made a valid KCIDB path node.
std::string dotted_path(const std::string& name) {
  std::string out, node;
  auto flush = [&] {
    if (!out.empty()) out += '.';
    out += path_node(node);
    node.clear();
  };
  for (char c : name) {
    if (c == '.') flush();
    else node += c;
  }
  flush();
  return out;
}

}  // namespace

bool valid_origin(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string path_node(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::string start_time_from_run_name(const std::string& n) {
  // YYYYMMDD-HHMMSS
  if (n.size() < 15 || n[8] != '-') return {};
  for (std::size_t i = 0; i < 15; ++i)
    if (i != 8 && (n[i] < '0' || n[i] > '9')) return {};
  return n.substr(0, 4) + "-" + n.substr(4, 2) + "-" + n.substr(6, 2) + "T" + n.substr(9, 2) +
         ":" + n.substr(11, 2) + ":" + n.substr(13, 2) + "+00:00";
}

json submission(const json& summary, const json& splats, const Options& opt) {
  const std::string o = opt.origin + ":";
  const std::string verdict = str(summary, "verdict");
  const std::string reason = str(summary, "reason");
  const std::string variant = str(summary, "variant");
  const std::string kernel_tag = str(summary, "kernel_tag");
  const std::vector<std::string> patches = string_list(summary, "patches");
  const std::vector<std::string> patch_ids = string_list(summary, "patch_ids");
  const json durations = summary.value("durations_s", json::object());

  // The checkout is the pinned kernel plus exactly these patches (their
  // stable patch-ids, whatever the files are called); "head" (bisection)
  // builds a commit of the tree, named by its hash.
  std::string identity = kernel_tag;
  for (const auto& id : patch_ids) identity += "\n" + id;
  if (patch_ids.empty() && variant == "head") identity += "\n" + str(summary, "kernel_head");
  const std::string checkout_id = o + "checkout-" + fnv1a_hex(identity);
  const std::string build_id =
      o + "build-" + fnv1a_hex(identity) + "-" + path_node(str(summary, "config_hash"));
  const std::string run_id = o + opt.run_name;

  json checkout = {{"id", checkout_id}, {"origin", opt.origin}};
  checkout["tree_name"] = "linux-" + (str(summary, "kernel_release").empty()
                                          ? std::string("pinned")
                                          : str(summary, "kernel_release"));
  if (!kernel_tag.empty()) checkout["git_commit_name"] = kernel_tag;
  checkout["comment"] = kernel_tag + " + " + (variant.empty() ? "?" : variant) + " (" +
                        std::to_string(patches.size()) + " patch(es))";
  if (durations.contains("build") || durations.contains("tree")) checkout["valid"] = true;
  else if (reason.find("do not apply") != std::string::npos) checkout["valid"] = false;
  if (!opt.start_time.empty()) checkout["start_time"] = opt.start_time;
  checkout["misc"] = {{"variant", variant}, {"patches", patches}, {"patch_ids", patch_ids},
                      {"kernel_head", str(summary, "kernel_head")}};

  const bool built = durations.contains("build");
  json build = {{"id", build_id}, {"checkout_id", checkout_id}, {"origin", opt.origin}};
  build["architecture"] = "x86_64";
  build["config_name"] = "tinyconfig+base+kvm+debug";
  build["comment"] = "KASAN and lockdep build of " + variant;
  if (!opt.start_time.empty()) build["start_time"] = opt.start_time;
  if (const json* d = number_at(durations, "build")) build["duration"] = *d;
  if (built) {
    build["status"] = "PASS";
  } else if (reason.find("kernel build") != std::string::npos ||
             reason.find("kernel config") != std::string::npos) {
    build["status"] = "FAIL";
    build["log_excerpt"] = excerpt(reason);
  } else {
    build["status"] = "MISS";
  }
  build["misc"] = {{"config_hash", str(summary, "config_hash")},
                   {"kernel_release", str(summary, "kernel_release")}};

  json result = {{"version", {{"major", kSchemaMajor}, {"minor", kSchemaMinor}}},
                 {"checkouts", json::array({checkout})},
                 {"builds", json::array({build})},
                 {"tests", json::array()}};
  if (!built) return result;  // nothing was booted

  json environment = {
      {"comment", "QEMU x86_64, -cpu max (nested SVM gives the guest /dev/kvm), "
                  "-smp 2,sockets=2, -m 2G"},
      {"misc", {{"rig_run", opt.run_name}}}};
  auto test = [&](const std::string& path, const std::string& id_suffix, const char* status) {
    json t = {{"id", run_id + "." + id_suffix}, {"build_id", build_id}, {"origin", opt.origin},
              {"path", path}, {"status", status}, {"environment", environment}};
    if (!opt.start_time.empty()) t["start_time"] = opt.start_time;
    if (!opt.log_url.empty()) t["log_url"] = opt.log_url;
    return t;
  };
  json& tests = result["tests"];

  // The splats' excerpts, by title, from the scanner's reports.
  std::map<std::string, std::string> text_by_title;
  if (splats.is_array())
    for (const auto& s : splats)
      if (s.is_object() && !text_by_title.count(str(s, "title")))
        text_by_title[str(s, "title")] = str(s, "text");
  const json splat_list = summary.value("splats", json::array());

  // boot: the kernel reached /init.
  const json* boot_s = number_at(summary, "boot_to_init_s");
  const bool booted = boot_s != nullptr;
  const char* boot_status = booted ? "PASS" : verdict == "infra-error" ? "MISS" : "FAIL";
  json boot = test("boot", "boot", boot_status);
  if (booted) boot["duration"] = *boot_s;
  else boot["comment"] = excerpt(reason);
  if (!booted && !splat_list.empty())
    boot["log_excerpt"] = excerpt(text_by_title[str(splat_list[0], "title")]);
  boot["misc"] = {{"rig_verdict", verdict}, {"rig_reason", reason},
                  {"rig_exit_code", summary.value("exit_code", 125)},
                  {"test_args", str(summary, "test_args")}};
  tests.push_back(boot);

  if (booted) {
    // The suite: did the selftest run to its end and pass?
    const json counts = summary.value("tests", json::object());
    const int failed = counts.value("failed", 0);
    const bool complete = str(summary, "stop_reason") == "guest-exit" &&
                          counts.value("planned", -1) == counts.value("reported", 0);
    const char* suite_status = "PASS";
    if (verdict == "test-failure" || failed > 0) suite_status = "FAIL";
    else if (verdict == "timeout" || verdict == "infra-error" || !complete) suite_status = "ERROR";
    json suite = test("irqfd_selftest", "irqfd_selftest", suite_status);
    if (std::string(suite_status) != "PASS") suite["comment"] = excerpt(reason);
    if (const json* g = number_at(durations, "guest")) suite["duration"] = *g;
    suite["misc"] = {{"planned", counts.value("planned", -1)},
                     {"reported", counts.value("reported", 0)}};
    tests.push_back(suite);

    for (const auto& r : counts.value("results", json::array())) {
      const std::string res = str(r, "result");
      const char* status = res == "pass" ? "PASS" : res == "skip" ? "SKIP" : "FAIL";
      std::string path = "irqfd_selftest." + dotted_path(str(r, "name"));
      json t = test(path, path, status);
      t["misc"] = {{"ktap_number", r.value("number", 0)}, {"ktap_name", str(r, "name")}};
      tests.push_back(t);
    }
  }

  // Every splat fails, whatever the tests said: the rig's first rule.
  for (std::size_t i = 0; i < splat_list.size(); ++i) {
    const json& s = splat_list[i];
    std::string kind = str(s, "kind").empty() ? "unknown" : str(s, "kind");
    json t = test("kernel_splat." + path_node(kind), "kernel_splat." + std::to_string(i + 1),
                  "FAIL");
    t["comment"] = excerpt(str(s, "title"));
    std::string text = text_by_title[str(s, "title")];
    t["log_excerpt"] = excerpt(text.empty() ? str(s, "title") : text);
    t["misc"] = {{"title", str(s, "title")}, {"count", s.value("count", 1)},
                 {"serial_log_line", s.value("line", 0)}};
    tests.push_back(t);
  }
  return result;
}

}  // namespace rig::kcidb
