#ifndef STOREPILOT_FRAUD_TRANSACTION_CSV_H_
#define STOREPILOT_FRAUD_TRANSACTION_CSV_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fraud/order.h"

namespace storepilot::fraud {

// One card transaction of the Fraud Detection Handbook's format
// (TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT, TX_FRAUD;
// other columns are ignored and never read).
struct Transaction {
  int64_t id = 0;
  int64_t time_ms = 0;
  int64_t customer_id = 0;
  int64_t terminal_id = 0;
  double amount = 0;
  std::optional<bool> fraud;  // Empty TX_FRAUD: unknown.

  // The order the engine sees: customer = card, terminal = merchant.
  Order ToOrder() const;
};

// A daily file "YYYY-MM-DD.csv.gz" of a transactions directory.
struct DailyFile {
  std::string path;
  int64_t day_start_ms = 0;  // Midnight UTC of the file's date.
};

// Lists the daily files of `dir`, oldest first. Errors: NotFound when `dir`
// cannot be read.
absl::StatusOr<std::vector<DailyFile>> ListDailyFiles(const std::string& dir);

// Reads one gzip (or plain) CSV file, sorted by (time, id). Errors: NotFound,
// InvalidArgument for a missing column or a malformed row (with its line).
absl::StatusOr<std::vector<Transaction>> ReadTransactionsCsv(const std::string& path);

// Parses "YYYY-MM-DD" to midnight UTC in epoch ms. InvalidArgument otherwise.
absl::StatusOr<int64_t> ParseDateMs(const std::string& date);

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_TRANSACTION_CSV_H_
