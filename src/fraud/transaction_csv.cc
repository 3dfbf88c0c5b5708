#include "fraud/transaction_csv.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace storepilot::fraud {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || s.size() > 40) return false;
  char buf[48];
  std::copy(s.begin(), s.end(), buf);
  buf[s.size()] = '\0';
  char* end = nullptr;
  *out = std::strtod(buf, &end);
  return end == buf + s.size();
}

// "YYYY-MM-DD HH:MM:SS" (or with 'T') in UTC.
bool ParseDateTime(std::string_view s, int64_t* ms) {
  int64_t y, mo, d, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!ParseInt(s.substr(0, 4), &y) || !ParseInt(s.substr(5, 2), &mo) ||
      !ParseInt(s.substr(8, 2), &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return false;
  }
  if (s.size() > 10) {
    if (s.size() != 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        s[16] != ':' || !ParseInt(s.substr(11, 2), &h) ||
        !ParseInt(s.substr(14, 2), &mi) || !ParseInt(s.substr(17, 2), &sec) || h > 23 ||
        mi > 59 || sec > 60) {
      return false;
    }
  }
  *ms = ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000;
  return true;
}

// Splits on `sep`, keeping empty fields.
void Split(std::string_view s, char sep, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out->push_back(s.substr(start));
      return;
    }
    out->push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

}  // namespace

Order Transaction::ToOrder() const {
  Order order;
  order.order_id = absl::StrCat(id);
  order.time_ms = time_ms;
  order.amount = amount;
  order.customer_id = absl::StrCat(customer_id);
  order.terminal_id = absl::StrCat(terminal_id);
  return order;
}

absl::StatusOr<int64_t> ParseDateMs(const std::string& date) {
  int64_t ms = 0;
  if (date.size() != 10 || !ParseDateTime(date, &ms)) {
    return absl::InvalidArgumentError(absl::StrCat("not a YYYY-MM-DD date: '", date, "'"));
  }
  return ms;
}

absl::StatusOr<std::vector<DailyFile>> ListDailyFiles(const std::string& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return absl::NotFoundError(absl::StrCat("cannot read directory ", dir));
  std::vector<DailyFile> files;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 17 || name.substr(10) != ".csv.gz") continue;
    auto day = ParseDateMs(name.substr(0, 10));
    if (!day.ok()) continue;
    files.push_back({entry.path().string(), *day});
  }
  std::sort(files.begin(), files.end(), [](const DailyFile& a, const DailyFile& b) {
    return a.day_start_ms < b.day_start_ms;
  });
  return files;
}

absl::StatusOr<std::vector<Transaction>> ReadTransactionsCsv(const std::string& path) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (file == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  gzbuffer(file.get(), 1 << 17);
  std::string contents;
  char buf[1 << 16];
  int n;
  while ((n = gzread(file.get(), buf, sizeof(buf))) > 0) contents.append(buf, n);
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat("corrupt gzip file ", path));

  std::vector<std::string_view> lines;
  Split(contents, '\n', &lines);
  while (!lines.empty() && (lines.back().empty() || lines.back() == "\r")) lines.pop_back();
  if (lines.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": empty file"));
  const char* kColumns[] = {"TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID",
                            "TERMINAL_ID",    "TX_AMOUNT",   "TX_FRAUD"};
  int col[6];
  std::vector<std::string_view> header;
  Split(lines[0], ',', &header);
  for (int c = 0; c < 6; ++c) {
    auto it = std::find_if(header.begin(), header.end(), [&](std::string_view h) {
      if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
      return h == kColumns[c];
    });
    if (it == header.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": missing column ", kColumns[c]));
    }
    col[c] = static_cast<int>(it - header.begin());
  }
  std::vector<Transaction> rows;
  rows.reserve(lines.size() - 1);
  std::vector<std::string_view> fields;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Split(line, ',', &fields);
    Transaction tx;
    bool ok = fields.size() == header.size();
    ok = ok && ParseInt(fields[col[0]], &tx.id) && ParseDateTime(fields[col[1]], &tx.time_ms) &&
         ParseInt(fields[col[2]], &tx.customer_id) &&
         ParseInt(fields[col[3]], &tx.terminal_id) && ParseDouble(fields[col[4]], &tx.amount) &&
         std::isfinite(tx.amount);
    if (ok) {
      std::string_view label = fields[col[5]];
      if (label == "1" || label == "1.0") {
        tx.fraud = true;
      } else if (label == "0" || label == "0.0") {
        tx.fraud = false;
      } else {
        ok = label.empty();
      }
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", i + 1, ": malformed transaction row"));
    }
    rows.push_back(tx);
  }
  std::sort(rows.begin(), rows.end(), [](const Transaction& a, const Transaction& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.id < b.id;
  });
  return rows;
}

}  // namespace storepilot::fraud
