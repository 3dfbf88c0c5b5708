#ifndef STOREPILOT_FRAUD_MODEL_H_
#define STOREPILOT_FRAUD_MODEL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fraud/internal/tree_ensemble.h"

namespace storepilot::fraud {

// Rows of features (row-major, NaN = missing) and their 0/1 labels.
struct Dataset {
  size_t num_features = 0;
  std::vector<float> values;  // rows() * num_features
  std::vector<float> labels;  // 1 = fraud
  size_t rows() const { return labels.size(); }
  void AddRow(const float* row, bool fraud) {
    values.insert(values.end(), row, row + num_features);
    labels.push_back(fraud ? 1.0f : 0.0f);
  }
};

struct TrainOptions {
  // Defaults chosen on earlier handbook-sim periods (train 06-13 and 07-04):
  // shallow trees and few rounds, as ~600 fraud rows do not support more.
  int rounds = 100;
  int max_depth = 4;
  double learning_rate = 0.1;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double min_child_weight = 1;
  // Training threads. One by default: on a shared, busy machine OpenMP's
  // spin-waiting threads made two-thread training 15x slower than one.
  // Prediction always uses one thread.
  int threads = 1;
  int seed = 0;
};

// A gradient-boosted tree classifier with its feature names and a version
// string, both persisted inside the model file. XGBoost (C API) trains and
// persists it; scoring walks a flat copy of its trees (internal::TreeEnsemble)
// that gives XGBoost's predictions and SHAP values without its per-call
// overhead. Immutable after creation; prediction is thread-safe and
// lock-free.
class FraudModel {
 public:
  ~FraudModel();
  FraudModel(const FraudModel&) = delete;
  FraudModel& operator=(const FraudModel&) = delete;

  // Trains on `data`. Errors: InvalidArgument for an empty data set, a label
  // column with a single class or a name count that differs from
  // data.num_features; Internal for XGBoost failures.
  static absl::StatusOr<std::unique_ptr<FraudModel>> Train(
      const Dataset& data, const std::vector<std::string>& feature_names,
      const std::string& version, const TrainOptions& options = {});

  // Loads a model written by Save/Serialize. Errors: NotFound (Load),
  // InvalidArgument when the bytes are not a storepilot fraud model.
  static absl::StatusOr<std::unique_ptr<FraudModel>> Load(const std::string& path);
  static absl::StatusOr<std::unique_ptr<FraudModel>> Deserialize(const std::string& bytes);
  absl::Status Save(const std::string& path) const;
  absl::StatusOr<std::string> Serialize() const;

  // Probability of fraud for one row of feature_names().size() floats.
  absl::StatusOr<float> Predict(const float* row) const;
  // Probabilities for `n` rows.
  absl::StatusOr<std::vector<float>> PredictBatch(const float* rows, size_t n) const;
  // SHAP contributions of one row in log-odds: feature_names().size() values
  // followed by the bias; their sum is the margin, logit(Predict(row)).
  absl::StatusOr<std::vector<float>> Contributions(const float* row) const;

  // The same through XGBoost itself (inplace prediction with one thread,
  // pred_contribs): slower, kept as the reference the fast path is tested
  // against. Calls are serialised on the booster.
  absl::StatusOr<float> ReferencePredict(const float* row) const;
  absl::StatusOr<std::vector<float>> ReferenceContributions(const float* row) const;

  const std::string& version() const { return version_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }

 private:
  explicit FraudModel(void* booster) : booster_(booster) {}
  // Builds ensemble_ from the booster's JSON dump.
  absl::Status Compile();

  mutable absl::Mutex mu_;
  void* booster_ ABSL_GUARDED_BY(mu_);  // BoosterHandle, owned.
  std::string version_;
  std::vector<std::string> feature_names_;
  internal::TreeEnsemble ensemble_;
};

}  // namespace storepilot::fraud

#endif  // STOREPILOT_FRAUD_MODEL_H_
