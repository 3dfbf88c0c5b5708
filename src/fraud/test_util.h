#ifndef STOREPILOT_FRAUD_TEST_UTIL_H_
#define STOREPILOT_FRAUD_TEST_UTIL_H_

#include <memory>
#include <random>

#include "fraud/feature_store.h"
#include "fraud/model.h"

namespace storepilot::fraud::testing {

// A small model over the full feature layout where fraud means a large
// "amount" (feature 0) or a high terminal risk. Seeded, trains in well under a
// second.
inline std::unique_ptr<FraudModel> TrainToyModel(const std::string& version = "toy-1") {
  const size_t nf = FeatureStore::NumFeatures();
  Dataset data{nf, {}, {}};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> amount(1, 300);
  std::vector<float> row(nf, NAN);
  for (int i = 0; i < 600; ++i) {
    row[0] = amount(rng);
    data.AddRow(row.data(), row[0] > 220);
  }
  TrainOptions options;
  options.rounds = 20;
  options.max_depth = 3;
  options.learning_rate = 0.3;
  auto model = FraudModel::Train(data, FeatureStore::FeatureNames(), version, options);
  return model.ok() ? std::move(*model) : nullptr;
}

}  // namespace storepilot::fraud::testing

#endif  // STOREPILOT_FRAUD_TEST_UTIL_H_
