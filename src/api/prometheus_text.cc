#include "api/prometheus_text.h"

#include <cctype>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace storepilot::api {
namespace {

bool NameChar(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Reads a name at `pos`; "" when there is none.
std::string_view ReadName(std::string_view line, size_t* pos) {
  const size_t start = *pos;
  while (*pos < line.size() && NameChar(line[*pos], *pos == start)) ++*pos;
  return line.substr(start, *pos - start);
}

void SkipSpaces(std::string_view line, size_t* pos) {
  while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) ++*pos;
}

// Reads `{a="x",b="y"}` at `pos` (which is at '{').
bool ReadLabels(std::string_view line, size_t* pos, PromSample* out) {
  ++*pos;
  while (true) {
    SkipSpaces(line, pos);
    if (*pos < line.size() && line[*pos] == '}') {
      ++*pos;
      return true;
    }
    std::string_view name = ReadName(line, pos);
    SkipSpaces(line, pos);
    if (name.empty() || *pos + 1 >= line.size() || line[*pos] != '=' || line[*pos + 1] != '"') {
      return false;
    }
    *pos += 2;
    std::string value;
    while (*pos < line.size() && line[*pos] != '"') {
      char c = line[(*pos)++];
      if (c == '\\' && *pos < line.size()) {
        c = line[(*pos)++];
        if (c == 'n') c = '\n';
      }
      value.push_back(c);
    }
    if (*pos >= line.size()) return false;  // unclosed string
    ++*pos;
    out->labels.emplace_back(std::string(name), std::move(value));
    SkipSpaces(line, pos);
    if (*pos < line.size() && line[*pos] == ',') ++*pos;
  }
}

bool ParseValue(std::string_view text, double* v) {
  if (text == "NaN") {
    *v = std::nan("");
    return true;
  }
  if (text == "+Inf" || text == "Inf") {
    *v = INFINITY;
    return true;
  }
  if (text == "-Inf") {
    *v = -INFINITY;
    return true;
  }
  return absl::SimpleAtod(std::string(text), v);
}

std::string_view Strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Space-separated fields of `s`.
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    const size_t start = pos;
    while (pos < s.size() && s[pos] != ' ' && s[pos] != '\t') ++pos;
    if (pos > start) out.push_back(s.substr(start, pos - start));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<PromSample>> ParsePrometheusText(std::string_view text) {
  std::vector<PromSample> samples;
  int line_number = 0;
  size_t next = 0;
  while (next <= text.size()) {
    size_t end = text.find('\n', next);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Strip(text.substr(next, end - next));
    next = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    auto bad = [&](const char* why) {
      return absl::InvalidArgumentError(
          absl::StrCat("metrics line ", line_number, ": ", why, ": '",
                       std::string(line.substr(0, 80)), "'"));
    };
    PromSample s;
    size_t pos = 0;
    s.name = std::string(ReadName(line, &pos));
    if (s.name.empty()) return bad("expected a metric name");
    if (pos < line.size() && line[pos] == '{' && !ReadLabels(line, &pos, &s)) {
      return bad("malformed labels");
    }
    std::vector<std::string_view> rest = Fields(line.substr(pos));
    if (rest.empty() || rest.size() > 2) return bad("expected a value and an optional timestamp");
    if (!ParseValue(rest[0], &s.value)) return bad("the value is not a number");
    if (rest.size() == 2) {
      int64_t ts = 0;
      if (!absl::SimpleAtoi(std::string(rest[1]), &ts)) return bad("the timestamp is not an integer");
      s.timestamp_ms = ts;
    }
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace storepilot::api
