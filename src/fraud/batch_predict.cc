#include "fraud/batch_predict.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "fraud/feature_store.h"
#include "fraud/transaction_csv.h"

namespace storepilot::fraud {
namespace {

// Which columns a feature set keeps; InvalidArgument for an unknown set.
absl::StatusOr<std::vector<bool>> FeatureMask(const std::string& set) {
  const auto& names = FeatureStore::FeatureNames();
  if (set == "full") return std::vector<bool>(names.size(), true);
  if (set != "handbook") {
    return absl::InvalidArgumentError(absl::StrCat("unknown feature set '", set, "'"));
  }
  std::vector<bool> mask(names.size(), false);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    mask[i] = n == "amount" || n == "is_weekend" || n == "is_night";
    for (const char* w : {"1d", "7d", "30d"}) {
      mask[i] = mask[i] || n == absl::StrCat("customer_count_", w) ||
                n == absl::StrCat("customer_mean_amount_", w) ||
                n == absl::StrCat("terminal_count_", w) ||
                n == absl::StrCat("terminal_risk_", w);
    }
  }
  return mask;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Writes one CSV row per test transaction: its id, then its features.
absl::Status WriteFeatures(const std::string& path, const std::vector<int64_t>& ids,
                           const std::vector<float>& values, size_t nf) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  out << "TRANSACTION_ID";
  for (const std::string& name : FeatureStore::FeatureNames()) out << ',' << name;
  out << '\n';
  for (size_t r = 0; r < ids.size(); ++r) {
    out << ids[r];
    for (size_t i = 0; i < nf; ++i) {
      out << ',';
      const float v = values[r * nf + i];
      if (!std::isnan(v)) out << v;
    }
    out << '\n';
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BatchPredictSummary> RunBatchPredict(const BatchPredictOptions& options) {
  ASSIGN_OR_RETURN(const int64_t train_start, ParseDateMs(options.train_start));
  ASSIGN_OR_RETURN(int64_t train_end, ParseDateMs(options.train_end));
  ASSIGN_OR_RETURN(const int64_t test_start, ParseDateMs(options.test_start));
  ASSIGN_OR_RETURN(int64_t test_end, ParseDateMs(options.test_end));
  train_end += kMillisPerDay;  // Inclusive dates -> exclusive bounds.
  test_end += kMillisPerDay;
  if (train_end <= train_start || test_end <= test_start) {
    return absl::InvalidArgumentError("a window ends before it starts");
  }
  if (options.delay_days < 0) return absl::InvalidArgumentError("negative --delay-days");
  ASSIGN_OR_RETURN(std::vector<bool> mask, FeatureMask(options.feature_set));
  for (const std::string& name : options.drop_features) {
    const auto& names = FeatureStore::FeatureNames();
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown feature '", name, "'"));
    }
    mask[it - names.begin()] = false;
  }
  ASSIGN_OR_RETURN(std::vector<DailyFile> files, ListDailyFiles(options.transactions_dir));

  BatchPredictSummary summary;
  FeatureStoreOptions store_options;
  store_options.label_delay_ms = options.delay_days * kMillisPerDay;
  FeatureStore store(store_options);
  const size_t nf = FeatureStore::NumFeatures();
  Dataset train{nf, {}, {}};
  std::vector<float> test_values;
  std::vector<int64_t> test_ids;
  std::vector<float> row(nf);

  auto start = std::chrono::steady_clock::now();
  for (const DailyFile& file : files) {
    if (file.day_start_ms >= test_end) break;
    ASSIGN_OR_RETURN(std::vector<Transaction> txs, ReadTransactionsCsv(file.path));
    for (const Transaction& tx : txs) {
      if (tx.time_ms >= test_end) continue;
      ++summary.transactions_read;
      const Order order = tx.ToOrder();
      const bool in_train = tx.time_ms >= train_start && tx.time_ms < train_end;
      const bool in_test = tx.time_ms >= test_start && tx.time_ms < test_end;
      if ((in_train && tx.fraud.has_value()) || in_test) {
        store.Compute(order, row.data());
        for (size_t i = 0; i < nf; ++i) {
          if (!mask[i]) row[i] = NAN;
        }
        if (in_train && tx.fraud.has_value()) {
          train.AddRow(row.data(), *tx.fraud);
          summary.train_frauds += *tx.fraud;
        }
        if (in_test) {
          test_values.insert(test_values.end(), row.begin(), row.end());
          test_ids.push_back(tx.id);
        }
      }
      // The label is recorded with the transaction but, by the store's
      // contract, no feature reads it before `delay_days` have passed.
      store.Observe(order, tx.fraud);
    }
  }
  summary.feature_seconds = SecondsSince(start);
  summary.train_rows = static_cast<int64_t>(train.rows());
  summary.test_rows = static_cast<int64_t>(test_ids.size());
  const FeatureStore::MemoryStats memory = store.Memory();
  summary.tracked_keys = memory.tracked_keys;
  summary.bytes_per_key = memory.BytesPerKey();
  if (test_ids.empty()) return absl::InvalidArgumentError("no transaction in the test window");

  start = std::chrono::steady_clock::now();
  summary.model_version = absl::StrCat("gbdt-", FeatureStore::SchemaVersion(), "-",
                                       options.feature_set, "-train-",
                                       options.train_start, "-", options.train_end);
  ASSIGN_OR_RETURN(std::unique_ptr<FraudModel> model,
                   FraudModel::Train(train, FeatureStore::FeatureNames(),
                                     summary.model_version, options.train));
  summary.train_seconds = SecondsSince(start);
  if (!options.model_out_path.empty()) RETURN_IF_ERROR(model->Save(options.model_out_path));

  start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(std::vector<float> scores,
                   model->PredictBatch(test_values.data(), test_ids.size()));
  std::ofstream out(options.out_path, std::ios::trunc);
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", options.out_path));
  out.precision(9);
  out << "TRANSACTION_ID,score\n";
  for (size_t i = 0; i < test_ids.size(); ++i) {
    out << test_ids[i] << ',' << scores[i] << '\n';
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", options.out_path));
  summary.predict_seconds = SecondsSince(start);
  if (!options.features_out_path.empty()) {
    RETURN_IF_ERROR(WriteFeatures(options.features_out_path, test_ids, test_values, nf));
  }
  return summary;
}

}  // namespace storepilot::fraud
