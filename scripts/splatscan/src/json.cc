#include <cstdio>

#include "splatscan/scanner.h"

namespace splatscan {

namespace {

// Length of a valid UTF-8 sequence at s[i], or 0 when the bytes are invalid.
// Valid means RFC 3629: no overlong forms, no surrogates (U+D800-DFFF), nothing
// above U+10FFFF. The second byte's range depends on the lead byte; the rest
// are plain continuation bytes.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;       // below: overlong
    else if (c == 0xed) hi = 0x9f;  // above: surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;       // below: overlong
    else if (c == 0xf4) hi = 0x8f;  // above: beyond U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 (overlong), F5-FF
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) >> 6) != 0x2) return 0;
  return n;
}

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      ++i;
      continue;
    }
    std::size_t n = utf8_len(s, i);
    if (n == 0) {
      out += "\\ufffd";  // console garbage is not valid JSON text
      ++i;
      continue;
    }
    out.append(s.data() + i, n);
    i += n;
  }
  out += '"';
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

std::string to_json(const std::vector<FileReport>& reports) {
  std::string out = "[";
  bool first = true;
  for (const FileReport& fr : reports) {
    const Report& r = fr.report;
    out += first ? "\n  {" : ",\n  {";
    first = false;
    out += "\"file\": ";
    append_string(out, fr.file);
    out += ", \"line\": " + std::to_string(r.line);
    out += ", \"kind\": ";
    append_string(out, r.kind);
    out += ", \"title\": ";
    append_string(out, r.title);
    out += ", \"count\": " + std::to_string(r.count);
    out += ", \"corrupted\": ";
    out += r.corrupted ? "true" : "false";
    out += ", \"text\": ";
    append_string(out, r.text);
    out += "}";
  }
  out += first ? "]\n" : "\n]\n";
  return out;
}

}  // namespace splatscan
