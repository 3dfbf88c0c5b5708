#include "fraud/model.h"

#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "fraud/explain.h"
#include "fraud/test_util.h"
#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

std::vector<float> Row(float amount) {
  std::vector<float> row(FeatureStore::NumFeatures(), NAN);
  row[0] = amount;
  return row;
}

TEST(FraudModel, LearnsAndRanks) {
  auto model = testing::TrainToyModel();
  ASSERT_NE(model, nullptr);
  const auto low = model->Predict(Row(20).data());
  const auto high = model->Predict(Row(280).data());
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_LT(*low, 0.2);
  EXPECT_GT(*high, 0.8);
  EXPECT_EQ(model->version(), "toy-1");
}

TEST(FraudModel, RoundTripKeepsPredictionsAndVersion) {
  auto model = testing::TrainToyModel("v42");
  ASSERT_NE(model, nullptr);
  const std::string path =
      (std::filesystem::temp_directory_path() / "storepilot_fraud_model_test.ubj").string();
  ASSERT_TRUE(model->Save(path).ok());
  auto loaded = FraudModel::Load(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->version(), "v42");
  EXPECT_EQ((*loaded)->feature_names(), FeatureStore::FeatureNames());
  for (float amount : {5.f, 150.f, 221.f, 299.f}) {
    EXPECT_EQ(*(*loaded)->Predict(Row(amount).data()), *model->Predict(Row(amount).data()));
  }
  // Batch and single-row prediction agree.
  std::vector<float> rows = Row(10);
  const auto second = Row(250);
  rows.insert(rows.end(), second.begin(), second.end());
  const auto batch = model->PredictBatch(rows.data(), 2);
  ASSERT_TRUE(batch.ok());
  EXPECT_FLOAT_EQ((*batch)[1], *model->Predict(second.data()));
}

TEST(FraudModel, RejectsBadInput) {
  EXPECT_EQ(FraudModel::Load("/nonexistent/model").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FraudModel::Deserialize("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FraudModel::Deserialize("garbage bytes").status().code(),
            absl::StatusCode::kInvalidArgument);
  Dataset empty{3, {}, {}};
  EXPECT_EQ(FraudModel::Train(empty, {"a", "b", "c"}, "v").status().code(),
            absl::StatusCode::kInvalidArgument);
  Dataset one_class{1, {1, 2}, {0, 0}};
  EXPECT_EQ(FraudModel::Train(one_class, {"a"}, "v").status().code(),
            absl::StatusCode::kInvalidArgument);
  Dataset ok{1, {1, 2}, {0, 1}};
  EXPECT_EQ(FraudModel::Train(ok, {"a", "b"}, "v").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FraudModel, ExplanationsSumToTheScore) {
  auto model = testing::TrainToyModel();
  ASSERT_NE(model, nullptr);
  for (float amount : {12.f, 180.f, 240.f}) {
    SCOPED_TRACE(amount);
    const auto row = Row(amount);
    const auto shap = model->Contributions(row.data());
    ASSERT_TRUE(shap.ok());
    ASSERT_EQ(shap->size(), FeatureStore::NumFeatures() + 1);
    const float p = *model->Predict(row.data());
    const double margin = std::accumulate(shap->begin(), shap->end(), 0.0);
    EXPECT_NEAR(1 / (1 + std::exp(-margin)), p, 1e-4);
    const Explanation all = Explain(model->feature_names(), row.data(), *shap,
                                    FeatureStore::NumFeatures());
    EXPECT_NEAR(all.score, 100 * p, 1e-2);
    double total = all.base_score;
    for (const Reason& r : all.reasons) total += r.contribution;
    EXPECT_NEAR(total, all.score, 1e-6);
    EXPECT_NEAR(all.other_contribution, 0, 1e-9);
    const Explanation e = Explain(model->feature_names(), row.data(), *shap, 2);
    ASSERT_LE(e.reasons.size(), 2u);
    double top = e.base_score + e.other_contribution;
    for (const Reason& r : e.reasons) top += r.contribution;
    EXPECT_NEAR(top, e.score, 1e-6);
    ASSERT_FALSE(e.reasons.empty());
    EXPECT_EQ(e.reasons[0].feature, "amount");
    EXPECT_FALSE(e.reasons[0].message.empty());
    EXPECT_EQ(e.reasons[0].sentiment,
              amount > 220 ? Sentiment::kNegative : Sentiment::kPositive);
  }
}

TEST(Explain, DescribesFeaturesInPlainWords) {
  EXPECT_EQ(DescribeFeature("customer_amount_to_median", 4.8f),
            "Amount is 4.8x this customer's typical order");
  EXPECT_EQ(DescribeFeature("terminal_risk_7d", 0.25f),
            "25% of this terminal's settled orders over 7 days were fraudulent");
  EXPECT_EQ(
      DescribeFeature("terminal_cpp_frauds_7d", 2),
      "2 confirmed frauds on this terminal in 7 days from cards with no other fraud");
  EXPECT_EQ(DescribeFeature("terminal_settled_since_last_known_fraud", 0),
            "0 settled orders on this terminal since its latest confirmed fraud");
  EXPECT_EQ(DescribeFeature("ip_prefix_count_1h", 3),
            "3 earlier orders from this IP range in the last hour");
  EXPECT_EQ(DescribeFeature("customer_count_1d", 1),
            "1 earlier order from this customer in the last day");
  EXPECT_EQ(DescribeFeature("ip_shipping_mismatch", 1),
            "IP country differs from the shipping country");
  EXPECT_EQ(DescribeFeature("customer_new_device", 1),
            "First order from this device for the customer");
}

}  // namespace
}  // namespace storepilot::fraud

namespace storepilot::fraud {
namespace {

// The fast tree walker must agree with XGBoost on predictions and SHAP values,
// including missing values, on a model with real interactions.
TEST(FraudModel, FastPathMatchesXgboost) {
  const size_t nf = FeatureStore::NumFeatures();
  Dataset data{nf, {}, {}};
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> row(nf, NAN);
  auto fill = [&] {
    for (size_t j = 0; j < 6; ++j) row[j] = u(rng) < 0.2 ? NAN : u(rng);
  };
  for (int i = 0; i < 2000; ++i) {
    fill();
    const bool fraud = (row[0] > 0.7 && !(row[1] < 0.3)) || (std::isnan(row[2]) && row[3] > 0.5);
    data.AddRow(row.data(), fraud != (u(rng) < 0.05));
  }
  TrainOptions options;
  options.rounds = 30;
  options.max_depth = 5;
  auto model = FraudModel::Train(data, FeatureStore::FeatureNames(), "cmp", options);
  ASSERT_TRUE(model.ok()) << model.status();
  for (int i = 0; i < 50; ++i) {
    fill();
    const float fast = *(*model)->Predict(row.data());
    const float reference = *(*model)->ReferencePredict(row.data());
    EXPECT_NEAR(fast, reference, 1e-5);
    const auto phi = *(*model)->Contributions(row.data());
    const auto phi_ref = *(*model)->ReferenceContributions(row.data());
    ASSERT_EQ(phi.size(), phi_ref.size());
    for (size_t j = 0; j < phi.size(); ++j) EXPECT_NEAR(phi[j], phi_ref[j], 1e-4) << j;
    // The score an explained answer gives is XGBoost's probability.
    const Explanation e = Explain(FeatureStore::FeatureNames(), row.data(), phi);
    EXPECT_NEAR(e.score / 100, reference, 1e-6);
  }
}

}  // namespace
}  // namespace storepilot::fraud
