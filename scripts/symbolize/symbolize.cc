#include "symbolize.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

namespace rig::symbolize {

namespace {

using nlohmann::json;

bool is_ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The message of a console line: without the "[  16.16][   T90]" stamps
// (time, and the caller id when CONFIG_PRINTK_CALLER is set).
std::string_view message(std::string_view l) {
  for (;;) {
    std::string_view t = l;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    if (t.empty() || t.front() != '[') return l;
    std::size_t close = t.find(']');
    if (close == std::string_view::npos) return l;
    l = t.substr(close + 1);
  }
}

// "0x1f" or "1f" -> value; false when it is not hex.
bool parse_hex(std::string_view s, uint64_t* v) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return false;
  uint64_t r = 0;
  for (char c : s) {
    if (!is_hex(c)) return false;
    r = r * 16 + static_cast<uint64_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                                   : (std::tolower(c) - 'a' + 10));
  }
  *v = r;
  return true;
}

// A line that opens a stack of its own: "Call Trace:", "Freed by task 90:",
// "stack backtrace:", lockdep's "-> #1 (&x->lock){....}:".
bool stack_header(std::string_view m, std::string* name) {
  m = trim(m);
  if (m.size() < 2 || m.back() != ':') return false;
  if (m.find('+') != std::string_view::npos && m.find("/0x") != std::string_view::npos) return false;
  *name = std::string(m.substr(0, m.size() - 1));
  return true;
}

}  // namespace

std::vector<Frame> parse_frames(std::string_view text) {
  std::vector<Frame> frames;
  std::string stack;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    std::string_view m = message(l);
    std::string header;
    if (stack_header(m, &header)) {
      stack = header;
      continue;
    }
    // The frame is "NAME+0xOFF/0xLEN", as the last word but for a module.
    std::size_t plus = m.find("+0x");
    while (plus != std::string_view::npos) {
      std::size_t start = plus;
      while (start > 0 && is_ident(m[start - 1])) --start;
      std::size_t slash = m.find("/0x", plus);
      std::size_t end = slash == std::string_view::npos ? slash : slash + 3;
      while (end != std::string_view::npos && end < m.size() && is_hex(m[end])) ++end;
      Frame f;
      if (start < plus && slash != std::string_view::npos &&
          parse_hex(m.substr(plus + 1, slash - plus - 1), &f.offset) &&
          parse_hex(m.substr(slash + 1, end - slash - 1), &f.length) &&
          (end == m.size() || m[end] == ' ' || m[end] == '\t')) {
        f.function = std::string(m.substr(start, plus - start));
        std::string_view before = trim(m.substr(0, start));
        f.rip = before.size() >= 4 && before.substr(0, 4) == "RIP:";
        f.reliable = !(before.size() >= 1 && before.back() == '?');
        std::string_view rest = trim(m.substr(end));
        if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']')
          f.module = std::string(rest.substr(1, rest.size() - 2));
        f.stack = f.rip ? "RIP" : stack;
        // A user-space RIP ("RIP: 0033:0x...") has no name and is not matched.
        frames.push_back(std::move(f));
        break;
      }
      plus = m.find("+0x", plus + 3);
    }
  }
  return frames;
}

SymbolTable parse_nm(std::string_view out) {
  SymbolTable t;
  std::istringstream in{std::string(out)};
  for (std::string l; std::getline(in, l);) {
    std::istringstream w(l);
    std::string addr, size, type, name;
    if (!(w >> addr >> size >> type >> name)) continue;  // no size: not a function body
    if (type != "t" && type != "T" && type != "w" && type != "W") continue;
    uint64_t a = 0, s = 0;
    if (!parse_hex(addr, &a) || !parse_hex(size, &s)) continue;
    t.emplace(name, std::make_pair(a, s));
  }
  return t;
}

std::optional<uint64_t> frame_address(const Frame& f, const SymbolTable& symbols) {
  auto [lo, hi] = symbols.equal_range(f.function);
  if (lo == hi) return std::nullopt;
  auto pick = lo;
  for (auto it = lo; it != hi; ++it)
    if (it->second.second == f.length) {
      pick = it;
      break;
    }
  if (f.offset > pick->second.second && pick->second.second != 0) return std::nullopt;
  uint64_t a = pick->second.first + f.offset;
  // A return address points after the call: its line is the next
  // statement's. One byte back is inside the call instruction.
  if (!f.rip && f.offset > 0) --a;
  return a;
}

std::map<uint64_t, std::vector<Location>> parse_addr2line(std::string_view out) {
  std::map<uint64_t, std::vector<Location>> m;
  std::vector<Location>* cur = nullptr;
  std::istringstream in{std::string(out)};
  std::string pending_function;
  bool have_function = false;
  for (std::string l; std::getline(in, l);) {
    std::string_view v = trim(l);
    uint64_t a = 0;
    if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && parse_hex(v, &a)) {
      cur = &m[a];
      have_function = false;
      continue;
    }
    if (!cur) continue;
    if (!have_function) {
      std::string_view fn = v;
      if (std::size_t p = fn.find(" (inlined by)"); p != std::string_view::npos) fn = fn.substr(0, p);
      pending_function = std::string(fn);
      have_function = true;
      continue;
    }
    // "path:line" or "path:line (discriminator N)", "??:0", "??:?".
    have_function = false;
    if (std::size_t p = v.find(" (discriminator"); p != std::string_view::npos) v = v.substr(0, p);
    std::size_t colon = v.rfind(':');
    Location loc;
    loc.function = pending_function == "??" ? "" : pending_function;
    if (colon != std::string_view::npos) {
      loc.file = std::string(v.substr(0, colon));
      loc.line = std::atoi(std::string(v.substr(colon + 1)).c_str());
    }
    if (loc.file == "??") loc.file.clear();
    cur->push_back(std::move(loc));
  }
  // addr2line says "??" for what it does not know: that is no location.
  for (auto& [a, chain] : m)
    chain.erase(std::remove_if(chain.begin(), chain.end(),
                               [](const Location& l) { return l.file.empty() && l.function.empty(); }),
                chain.end());
  return m;
}

std::string tree_relative(const std::string& path, const std::string& tree,
                          bool (*exists)(const std::string&)) {
  if (path.empty()) return path;
  std::string root = tree;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (path.rfind(root + "/", 0) == 0) return path.substr(root.size() + 1);
  // Suffixes after each '/', longest first; never one that climbs out ("../").
  for (std::size_t p = 0; p < path.size();) {
    std::string suffix = path.substr(p);
    if (suffix.rfind("../", 0) != 0 && suffix.rfind("./", 0) != 0 && exists(root + "/" + suffix))
      return suffix;
    std::size_t slash = path.find('/', p);
    if (slash == std::string::npos) break;
    p = slash + 1;
  }
  return path;
}

std::string guilty_function(std::string_view title) {
  std::size_t p = title.rfind(" in ");
  if (p == std::string_view::npos) return "";
  std::string_view f = trim(title.substr(p + 4));
  // "... in foo (2)" or a module suffix: the name is the first word.
  std::size_t sp = f.find(' ');
  if (sp != std::string_view::npos) f = f.substr(0, sp);
  for (char c : f)
    if (!is_ident(c)) return "";
  return std::string(f);
}

std::string base_name(std::string_view function) {
  std::size_t dot = function.find('.');
  return std::string(dot == std::string_view::npos ? function : function.substr(0, dot));
}

int guilty_index(std::string_view title, const std::vector<Resolved>& frames) {
  std::string want = base_name(guilty_function(title));
  if (want.empty()) return -1;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (!frames[i].frame->reliable) continue;
    if (base_name(frames[i].frame->function) == want) return static_cast<int>(i);
    for (const Location& l : frames[i].chain)
      if (base_name(l.function) == want) return static_cast<int>(i);
  }
  return -1;
}

namespace {

json location_json(const Location& l) {
  json j = {{"function", l.function}};
  j["file"] = l.file.empty() ? json(nullptr) : json(l.file);
  j["line"] = l.line > 0 ? json(l.line) : json(nullptr);
  return j;
}

// The location of a frame in its own function: the last entry of its
// inline chain (addr2line lists the innermost inlined callee first).
const Location* own_location(const Resolved& r) { return r.chain.empty() ? nullptr : &r.chain.back(); }

std::string hex(uint64_t v) {
  std::ostringstream o;
  o << "0x" << std::hex << v;
  return o.str();
}

}  // namespace

json report_json(std::size_t line, const std::string& title, const std::vector<Resolved>& frames,
                 const std::vector<std::string>& maintainers) {
  int g = guilty_index(title, frames);
  json fs = json::array();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = *frames[i].frame;
    json j = {{"function", f.function},
              {"offset", hex(f.offset)},
              {"stack", f.stack},
              {"reliable", f.reliable},
              {"guilty", static_cast<int>(i) == g}};
    if (!f.module.empty()) j["module"] = f.module;
    const Location* own = own_location(frames[i]);
    j["file"] = own && !own->file.empty() ? json(own->file) : json(nullptr);
    j["line"] = own && own->line > 0 ? json(own->line) : json(nullptr);
    if (frames[i].chain.size() > 1) {
      json in = json::array();
      for (std::size_t k = 0; k + 1 < frames[i].chain.size(); ++k) in.push_back(location_json(frames[i].chain[k]));
      j["inlined"] = in;  // innermost first
    }
    fs.push_back(std::move(j));
  }
  json out = {{"line", line}, {"title", title}, {"frames", fs}, {"maintainers", maintainers}};
  if (g >= 0) {
    const Resolved& r = frames[g];
    // Where the blamed function is: its own frame, or the inlined entry of
    // that name when the compiler folded it into a caller.
    std::string want = base_name(guilty_function(title));
    const Location* at = own_location(r);
    for (const Location& l : r.chain)
      if (base_name(l.function) == want) {
        at = &l;
        break;
      }
    json gj = {{"function", r.frame->function}};
    gj["file"] = at && !at->file.empty() ? json(at->file) : json(nullptr);
    gj["line"] = at && at->line > 0 ? json(at->line) : json(nullptr);
    out["guilty"] = gj;
  } else {
    out["guilty"] = nullptr;
  }
  return out;
}

std::vector<std::string> parse_maintainers(std::string_view output) {
  std::vector<std::string> v;
  std::istringstream in{std::string(output)};
  for (std::string l; std::getline(in, l);) {
    std::string_view t = trim(l);
    if (!t.empty()) v.emplace_back(t);
  }
  return v;
}

}  // namespace rig::symbolize
