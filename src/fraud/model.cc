#include "fraud/model.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace storepilot::fraud {
namespace {

constexpr char kVersionAttr[] = "storepilot_version";
constexpr char kFeaturesAttr[] = "storepilot_features";

absl::Status XgbCheck(int rc, const char* what) {
  if (rc == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("xgboost ", what, ": ", XGBGetLastError()));
}

// RAII for a DMatrix handle.
class DMatrix {
 public:
  ~DMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  absl::Status FromDense(const float* rows, size_t n, size_t ncol) {
    return XgbCheck(XGDMatrixCreateFromMat(rows, n, ncol, NAN, &handle_), "DMatrix");
  }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

absl::StatusOr<std::string> GetAttr(BoosterHandle booster, const char* key) {
  const char* value = nullptr;
  int success = 0;
  RETURN_IF_ERROR(XgbCheck(XGBoosterGetAttr(booster, key, &value, &success), "GetAttr"));
  if (!success || value == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a storepilot fraud model: attribute ", key, " missing"));
  }
  return std::string(value);
}

}  // namespace

FraudModel::~FraudModel() {
  absl::MutexLock lock(&mu_);
  if (booster_ != nullptr) XGBoosterFree(booster_);
}

absl::StatusOr<std::unique_ptr<FraudModel>> FraudModel::Train(
    const Dataset& data, const std::vector<std::string>& feature_names,
    const std::string& version, const TrainOptions& options) {
  if (data.rows() == 0 || data.num_features == 0) {
    return absl::InvalidArgumentError("cannot train on an empty data set");
  }
  if (feature_names.size() != data.num_features ||
      data.values.size() != data.rows() * data.num_features) {
    return absl::InvalidArgumentError("feature names and data shape disagree");
  }
  double positives = 0;
  for (float y : data.labels) positives += y;
  if (positives == 0 || positives == data.rows()) {
    return absl::InvalidArgumentError("training labels need both fraud and genuine rows");
  }
  DMatrix train;
  RETURN_IF_ERROR(train.FromDense(data.values.data(), data.rows(), data.num_features));
  RETURN_IF_ERROR(XgbCheck(XGDMatrixSetFloatInfo(train.get(), "label", data.labels.data(),
                                                 data.rows()),
                           "labels"));
  BoosterHandle booster = nullptr;
  DMatrixHandle train_handle = train.get();
  RETURN_IF_ERROR(XgbCheck(XGBoosterCreate(&train_handle, 1, &booster), "create"));
  std::unique_ptr<FraudModel> model(new FraudModel(booster));
  const std::pair<const char*, std::string> params[] = {
      {"objective", "binary:logistic"},
      {"eval_metric", "aucpr"},
      {"tree_method", "hist"},
      {"max_depth", absl::StrCat(options.max_depth)},
      {"eta", absl::StrCat(options.learning_rate)},
      {"subsample", absl::StrCat(options.subsample)},
      {"colsample_bytree", absl::StrCat(options.colsample_bytree)},
      {"min_child_weight", absl::StrCat(options.min_child_weight)},
      {"nthread", absl::StrCat(options.threads)},
      {"seed", absl::StrCat(options.seed)},
      {"verbosity", "0"},
  };
  // `model` is not shared yet; the local handle needs no lock.
  for (const auto& [name, value] : params) {
    RETURN_IF_ERROR(XgbCheck(XGBoosterSetParam(booster, name, value.c_str()), name));
  }
  for (int i = 0; i < options.rounds; ++i) {
    RETURN_IF_ERROR(XgbCheck(XGBoosterUpdateOneIter(booster, i, train.get()), "train"));
  }
  // One row is scored far faster on one thread than with OpenMP's fan-out;
  // callers parallelise across orders instead.
  RETURN_IF_ERROR(XgbCheck(XGBoosterSetParam(booster, "nthread", "1"), "nthread"));
  RETURN_IF_ERROR(XgbCheck(XGBoosterSetAttr(booster, kVersionAttr, version.c_str()), "attr"));
  const std::string names = absl::StrJoin(feature_names, ",");
  RETURN_IF_ERROR(XgbCheck(XGBoosterSetAttr(booster, kFeaturesAttr, names.c_str()), "attr"));
  model->version_ = version;
  model->feature_names_ = feature_names;
  RETURN_IF_ERROR(model->Compile());
  return model;
}

absl::StatusOr<std::unique_ptr<FraudModel>> FraudModel::Deserialize(const std::string& bytes) {
  BoosterHandle booster = nullptr;
  RETURN_IF_ERROR(XgbCheck(XGBoosterCreate(nullptr, 0, &booster), "create"));
  std::unique_ptr<FraudModel> model(new FraudModel(booster));
  if (bytes.empty() ||
      XGBoosterLoadModelFromBuffer(booster, bytes.data(), bytes.size()) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an XGBoost model: ", XGBGetLastError()));
  }
  RETURN_IF_ERROR(XgbCheck(XGBoosterSetParam(booster, "nthread", "1"), "nthread"));
  ASSIGN_OR_RETURN(model->version_, GetAttr(booster, kVersionAttr));
  ASSIGN_OR_RETURN(std::string names, GetAttr(booster, kFeaturesAttr));
  model->feature_names_ = absl::StrSplit(names, ',');
  bst_ulong num_features = 0;
  RETURN_IF_ERROR(XgbCheck(XGBoosterGetNumFeature(booster, &num_features), "features"));
  if (num_features != model->feature_names_.size()) {
    return absl::InvalidArgumentError("model feature count disagrees with its names");
  }
  RETURN_IF_ERROR(model->Compile());
  return model;
}

absl::StatusOr<std::unique_ptr<FraudModel>> FraudModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open model file ", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Deserialize(bytes.str());
}

absl::StatusOr<std::string> FraudModel::Serialize() const {
  absl::MutexLock lock(&mu_);
  bst_ulong len = 0;
  const char* data = nullptr;
  RETURN_IF_ERROR(XgbCheck(
      XGBoosterSaveModelToBuffer(booster_, R"({"format": "ubj"})", &len, &data), "save"));
  return std::string(data, len);
}

absl::Status FraudModel::Save(const std::string& path) const {
  ASSIGN_OR_RETURN(std::string bytes, Serialize());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write model file ", path));
  return absl::OkStatus();
}

absl::Status FraudModel::Compile() {
  std::string json;
  {
    absl::MutexLock lock(&mu_);
    bst_ulong len = 0;
    const char* data = nullptr;
    RETURN_IF_ERROR(XgbCheck(
        XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &len, &data), "dump"));
    json.assign(data, len);
  }
  ASSIGN_OR_RETURN(ensemble_, internal::TreeEnsemble::FromXgboostJson(json, feature_names_.size()));
  return absl::OkStatus();
}

absl::StatusOr<float> FraudModel::Predict(const float* row) const {
  return static_cast<float>(1.0 / (1.0 + std::exp(-ensemble_.Margin(row))));
}

absl::StatusOr<std::vector<float>> FraudModel::PredictBatch(const float* rows,
                                                            size_t n) const {
  std::vector<float> out(n);
  const size_t nf = feature_names_.size();
  for (size_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(1.0 / (1.0 + std::exp(-ensemble_.Margin(rows + i * nf))));
  }
  return out;
}

absl::StatusOr<std::vector<float>> FraudModel::Contributions(const float* row) const {
  std::vector<double> phi(feature_names_.size() + 1);
  ensemble_.Shap(row, phi.data());
  return std::vector<float>(phi.begin(), phi.end());
}

absl::StatusOr<float> FraudModel::ReferencePredict(const float* row) const {
  // Inplace prediction avoids building a DMatrix per order.
  const std::string array = absl::StrCat(
      R"({"data": [)", reinterpret_cast<uintptr_t>(row), R"(, true], "shape": [1, )",
      feature_names_.size(), R"(], "typestr": "<f4", "version": 3})");
  static constexpr char kConfig[] =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
      R"("strict_shape": false, "cache_id": 0, "missing": NaN})";
  absl::MutexLock lock(&mu_);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  RETURN_IF_ERROR(XgbCheck(XGBoosterPredictFromDense(booster_, array.c_str(), kConfig,
                                                     nullptr, &shape, &dim, &result),
                           "predict"));
  return result[0];
}

absl::StatusOr<std::vector<float>> FraudModel::ReferenceContributions(const float* row) const {
  DMatrix matrix;
  RETURN_IF_ERROR(matrix.FromDense(row, 1, feature_names_.size()));
  static constexpr char kConfig[] =
      R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
      R"("strict_shape": false})";
  absl::MutexLock lock(&mu_);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  RETURN_IF_ERROR(XgbCheck(
      XGBoosterPredictFromDMatrix(booster_, matrix.get(), kConfig, &shape, &dim, &result),
      "contributions"));
  return std::vector<float>(result, result + feature_names_.size() + 1);
}

}  // namespace storepilot::fraud
