#include "forecast/series_csv.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace storepilot::forecast {
namespace {

// Splits one CSV line into fields with surrounding quotes and whitespace
// removed. M4 files never quote commas, so a plain split is exact for them.
std::vector<std::string> SplitFields(absl::string_view line) {
  std::vector<std::string> fields;
  for (absl::string_view f : absl::StrSplit(line, ',')) {
    f = absl::StripAsciiWhitespace(f);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') {
      f = f.substr(1, f.size() - 2);
    }
    fields.emplace_back(f);
  }
  return fields;
}

// Calls `row_fn(line_number, fields)` for every non-empty line after the header.
template <typename Fn>
absl::Status ForEachRow(const std::string& text, Fn row_fn) {
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line_no == 1 || line.empty()) continue;
    auto status = row_fn(line_no, SplitFields(line));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<double>> ParseValues(
    const std::vector<std::string>& fields, size_t first, int line_no) {
  std::vector<double> values;
  bool padding = false;
  for (size_t i = first; i < fields.size(); ++i) {
    if (fields[i].empty()) {
      padding = true;
      continue;
    }
    if (padding) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": value after empty padding"));
    }
    double v = 0;
    if (!absl::SimpleAtod(absl::string_view(fields[i]), &v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_no, ": not a number: '", fields[i], "'"));
    }
    values.push_back(v);
  }
  if (values.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line_no, ": no values"));
  }
  return values;
}

void AppendValues(absl::Span<const double> values, std::string* out) {
  for (double v : values) absl::StrAppend(out, ",", absl::StrFormat("%.10g", v));
  out->push_back('\n');
}

std::string Header(int horizon, bool with_quantile) {
  std::string out = with_quantile ? "id,quantile" : "id";
  for (int h = 1; h <= horizon; ++h) absl::StrAppend(&out, ",F", h);
  out.push_back('\n');
  return out;
}

}  // namespace

absl::StatusOr<std::vector<NamedSeries>> ParseWideCsv(const std::string& text) {
  std::vector<NamedSeries> out;
  auto status = ForEachRow(text, [&](int line_no,
                                     const std::vector<std::string>& fields)
                                     -> absl::Status {
    if (fields[0].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": empty id"));
    }
    auto values = ParseValues(fields, 1, line_no);
    if (!values.ok()) return values.status();
    out.push_back({fields[0], *std::move(values)});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<QuantileRow>> ParseQuantileCsv(
    const std::string& text) {
  std::vector<QuantileRow> out;
  auto status = ForEachRow(text, [&](int line_no,
                                     const std::vector<std::string>& fields)
                                     -> absl::Status {
    QuantileRow row;
    row.id = fields[0];
    if (fields.size() < 3 || row.id.empty() ||
        !absl::SimpleAtod(absl::string_view(fields[1]), &row.level) ||
        !(row.level > 0 && row.level < 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": expected id,quantile,F1,..."));
    }
    auto values = ParseValues(fields, 2, line_no);
    if (!values.ok()) return values.status();
    row.values = *std::move(values);
    out.push_back(std::move(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> FormatForecastCsv(
    absl::Span<const NamedSeries> forecasts, int horizon) {
  std::string out = Header(horizon, false);
  for (const NamedSeries& s : forecasts) {
    if (static_cast<int>(s.values.size()) != horizon) {
      return absl::InvalidArgumentError(
          absl::StrCat("forecast for ", s.id, " has ", s.values.size(),
                       " values, expected ", horizon));
    }
    out += s.id;
    AppendValues(s.values, &out);
  }
  return out;
}

absl::StatusOr<std::string> FormatQuantileCsv(absl::Span<const QuantileRow> rows,
                                              int horizon) {
  std::string out = Header(horizon, true);
  for (const QuantileRow& r : rows) {
    if (static_cast<int>(r.values.size()) != horizon) {
      return absl::InvalidArgumentError(
          absl::StrCat("quantile row for ", r.id, " has ", r.values.size(),
                       " values, expected ", horizon));
    }
    absl::StrAppend(&out, r.id, ",", absl::StrFormat("%g", r.level));
    AppendValues(r.values, &out);
  }
  return out;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::InternalError(absl::StrCat("cannot read ", path));
  return ss.str();
}

absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::InternalError(absl::StrCat("cannot create ", path));
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace storepilot::forecast
