// A title must not depend on how the console was captured. Each log of the
// corpus's tuning part is rewritten the ways a real capture differs (CR LF
// line ends, printk caller ids, loglevel prefixes, no timestamps, read back
// from syslog, the journal or `dmesg -T`, "? " frames dropped or added,
// module names after frames, user space or another task writing between a
// report's lines) and scanned again: the title must stay what it was. Only
// the tuning part is used, so that the validation part stays unread.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus.h"
#include "splatscan/scanner.h"

namespace {

using splatscan::testing::corpus_files;
using splatscan::testing::is_validation;
using splatscan::testing::load;

// "[ 12.345678] " at the start of a line, as printk prints it; its length or 0.
std::size_t stamp_length(const std::string& line) {
  if (line.empty() || line[0] != '[') return 0;
  std::size_t i = 1;
  while (i < line.size() && line[i] == ' ') ++i;
  std::size_t digits = i;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == digits || i >= line.size() || line[i] != '.') return 0;
  ++i;
  std::size_t frac = i;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == frac || i >= line.size() || line[i] != ']') return 0;
  return i + 1;
}

std::string each_line(const std::string& log,
                      const std::function<void(std::string&, std::size_t, std::string&)>& f) {
  std::string out;
  std::size_t pos = 0, n = 0;
  while (pos < log.size()) {
    std::size_t nl = log.find('\n', pos);
    if (nl == std::string::npos) nl = log.size();
    std::string line = log.substr(pos, nl - pos);
    f(line, n++, out);
    pos = nl + 1;
  }
  return out;
}

// Where a call-trace frame ("func+0x1/0x2") starts in line, after the
// printk prefix, the indentation and any "? "; npos when line is no frame.
// unreliable says whether the frame was marked "? ".
std::size_t frame_start(const std::string& line, bool* unreliable = nullptr) {
  std::size_t i = stamp_length(line);
  if (i && i < line.size() && line[i] == '[') {  // caller id
    std::size_t close = line.find(']', i);
    if (close == std::string::npos || close - i > 10) return std::string::npos;
    i = close + 1;
  }
  std::size_t indent = i;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i == indent) return std::string::npos;
  bool marked = line.compare(i, 2, "? ") == 0;
  if (marked) i += 2;
  std::size_t name = i;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) ||
                             line[i] == '_' || line[i] == '.'))
    ++i;
  if (i == name || line.compare(i, 3, "+0x") != 0 || line.find("/0x", i) == std::string::npos)
    return std::string::npos;
  if (unreliable) *unreliable = marked;
  return marked ? name - 2 : name;
}

// Each line's printk timestamp replaced by (or, without one, preceded by)
// a logger's own prefix.
std::string with_prefix(const std::string& log, const std::string& prefix, bool drop_stamp) {
  return each_line(log, [&](std::string& l, std::size_t, std::string& out) {
    std::size_t s = drop_stamp ? stamp_length(l) : 0;
    if (s && s < l.size() && l[s] == ' ') ++s;
    out += prefix + l.substr(s) + "\n";
  });
}

struct Form {
  const char* name;
  std::function<std::string(const std::string&)> rewrite;
  int allowed;  // titles that may change: what the scanner does today, never more
};

const std::vector<Form>& forms() {
  static const std::vector<Form> kForms = {
      {"CR LF line ends",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           out += l + "\r\n";
         });
       },
       0},
      {"printk caller ids",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           std::size_t s = stamp_length(l);
           if (s && (s >= l.size() || l[s] != '[')) l.insert(s, "[ T4242]");
           out += l + "\n";
         });
       },
       0},
      {"loglevel prefixes",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           out += (stamp_length(l) ? "<4>" : "") + l + "\n";
         });
       },
       0},
      {"no timestamps",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           std::size_t s = stamp_length(l);
           if (s && s < l.size() && l[s] == ' ') ++s;
           out += l.substr(s) + "\n";
         });
       },
       // 317: without stamps, a firmware banner after a register dump
       // cannot be told from the log's first boot.
       1},
      {"syslog, no printk timestamps",
       [](const std::string& log) { return with_prefix(log, "Dec  2 15:57:30 host kernel: ", true); },
       0},
      {"journalctl -o short-iso",
       [](const std::string& log) {
         return with_prefix(log, "2026-12-02T15:57:30.123456+00:00 host kernel: ", true);
       },
       0},
      {"dmesg -x (facility and level before the stamp)",
       [](const std::string& log) { return with_prefix(log, "kern  :warn  : ", false); },
       0},
      {"syslog, printk timestamps kept",
       [](const std::string& log) { return with_prefix(log, "Dec  2 15:57:30 host kernel: ", false); },
       0},
      {"dmesg -T",
       [](const std::string& log) { return with_prefix(log, "[Wed Dec  2 15:57:30 2026] ", true); },
       0},
      {"no \"? \" frames",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           bool unreliable = false;
           if (frame_start(l, &unreliable) != std::string::npos && unreliable) return;
           out += l + "\n";
         });
       },
       0},
      {"a stale \"? \" frame after every third",
       [](const std::string& log) {
         int frames = 0;
         return each_line(log, [&frames](std::string& l, std::size_t, std::string& out) {
           out += l + "\n";
           bool unreliable = false;
           std::size_t at = frame_start(l, &unreliable);
           if (at == std::string::npos || unreliable || ++frames % 3) return;
           out += l.substr(0, at) + "? stale_return_address+0x10/0x20\n";
         });
       },
       0},
      {"module names after frames",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t, std::string& out) {
           std::size_t at = frame_start(l);
           bool bare = at != std::string::npos && l.find(' ', at) == std::string::npos;
           out += l + (bare ? " [kvm]\n" : "\n");
         });
       },
       0},
      {"user space lines between the kernel's",
       [](const std::string& log) {
         return each_line(log, [](std::string& l, std::size_t n, std::string& out) {
           out += l + "\n";
           if (n % 7 == 3) out += "executing program\n";
         });
       },
       0},
      {"another task's lines between",
       [](const std::string& log) {
         // Only where printk prints caller ids ("[ 1.2][ T12] "), which is
         // what tells another task's line apart.
         return each_line(log, [](std::string& l, std::size_t n, std::string& out) {
           out += l + "\n";
           std::size_t s = stamp_length(l);
           if (n % 7 == 3 && s && s + 2 < l.size() && l[s] == '[' &&
               l.find(']', s) != std::string::npos)
             out += l.substr(0, s) + "[ T9999] audit: type=1400 audit(1.2:3): avc:  denied  "
                                     "{ read } for  pid=9999 comm=\"syz-executor\"\n";
         });
       },
       0},
  };
  return kForms;
}

std::string first_title(const std::string& log) {
  std::vector<splatscan::Report> reports = splatscan::scan_text(log);
  return reports.empty() ? std::string() : reports[0].title;
}

TEST(ConsoleForms, TitlesHoldHoweverTheConsoleWasCaptured) {
  std::vector<std::string> names = corpus_files();
  ASSERT_GT(names.size(), 500u) << "corpus not found at " << SPLATSCAN_CORPUS;
  std::vector<std::pair<std::string, std::string>> base;
  for (const std::string& n : names) {
    if (is_validation(n)) continue;
    splatscan::testing::Expected e = load(n);
    if (e.titles.empty()) continue;
    base.emplace_back(n, e.log);
  }
  std::ofstream changes("console-form-changes.txt");
  for (const Form& form : forms()) {
    int changed = 0;
    for (const auto& [name, log] : base) {
      std::string was = first_title(log);
      std::string now = first_title(form.rewrite(log));
      if (now == was) continue;
      ++changed;
      changes << form.name << "\t" << name << "\twas " << was << "\tnow "
              << (now.empty() ? "none" : now) << "\n";
    }
    std::printf("console form %-40s %3d of %zu titles changed\n", form.name, changed,
                base.size());
    EXPECT_LE(changed, form.allowed)
        << form.name << ": titles changed; see console-form-changes.txt";
  }
}

}  // namespace
