#ifndef STOREPILOT_FRAUD_INTERNAL_TREE_ENSEMBLE_H_
#define STOREPILOT_FRAUD_INTERNAL_TREE_ENSEMBLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace storepilot::fraud::internal {

// A read-only copy of a trained XGBoost binary:logistic tree ensemble in flat
// arrays, evaluated without XGBoost's per-call overhead (config parsing,
// DMatrix creation, a lock): one row scores in a few microseconds, and the
// exact TreeSHAP values (Lundberg, Erion & Lee 2018, Algorithm 2 -- the
// algorithm XGBoost's pred_contribs implements) in tens. The tests check it
// against XGBoost's own predictions and contributions. Immutable and
// thread-safe.
class TreeEnsemble {
 public:
  // Parses XGBoost's JSON model (XGBoosterSaveModelToBuffer, format "json").
  // InvalidArgument for anything but a gbtree binary:logistic model with
  // numerical splits on at most `num_features` features.
  static absl::StatusOr<TreeEnsemble> FromXgboostJson(const std::string& json,
                                                      size_t num_features);

  // Log-odds of one row of num_features floats (NaN = missing).
  double Margin(const float* row) const;
  // SHAP values in log-odds: phi[0..num_features) per feature, phi[num_features]
  // the bias (expected margin); they sum to Margin(row). `phi` must hold
  // num_features + 1 doubles and is overwritten.
  void Shap(const float* row, double* phi) const;

  size_t num_trees() const { return roots_.size(); }

  // One element of TreeSHAP's path of unique features (defined in the .cc).
  struct PathElement;

 private:
  struct Node {
    int32_t left = -1;  // -1: leaf
    int32_t right = -1;
    int32_t feature = 0;
    bool default_left = false;
    float threshold = 0;  // Leaf value for a leaf.
    float cover = 0;      // Sum of hessians of the training rows reaching it.
  };
  // TreeSHAP tabulated per leaf (after "Fast TreeSHAP", Yang 2021): a leaf's
  // SHAP terms depend on the row only through which of the unique features on
  // its path the row follows, so each of the 2^k patterns is computed once at
  // load time; a row then costs one comparison per split on each leaf's path.
  struct PathCondition {
    int32_t node;   // A split on the path to the leaf...
    int32_t child;  // ...and the child the path takes.
    int32_t slot;   // Index of the split's feature among the leaf's unique ones.
  };
  struct LeafTable {
    int32_t conditions_begin = 0, conditions_end = 0;  // Into conditions_.
    int32_t features_begin = 0;                         // Into leaf_features_.
    int32_t k = 0;                                      // Unique features.
    int64_t table_begin = 0;  // Into table_: 2^k patterns x k terms.
  };
  static constexpr int kMaxTabulatedFeatures = 8;
  void Tabulate();
  int32_t Next(const Node& node, const float* row) const;
  void TreeShap(const float* row, double* phi, int32_t node, int unique_depth,
                PathElement* parent_path, double parent_zero_fraction,
                double parent_one_fraction, int parent_feature) const;

  size_t num_features_ = 0;
  double base_margin_ = 0;
  double expected_margin_ = 0;  // base_margin_ + sum of each tree's mean leaf value.
  int max_depth_ = 0;
  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;
  // Per tree: its leaves' tables, or empty when a path has too many unique
  // features (that tree falls back to the recursive algorithm).
  std::vector<std::vector<LeafTable>> leaf_tables_;
  std::vector<PathCondition> conditions_;
  std::vector<int32_t> leaf_features_;
  // Floats: half the memory of doubles, and a row reads one pattern of every
  // leaf (~1,600 scattered reads for 100 trees of depth 4), so the table's
  // cache footprint is what a row's SHAP values cost. Terms are summed in
  // double; the error (~1e-7 in log-odds) is far below what the floats
  // Contributions returns can show.
  std::vector<float> table_;
};

}  // namespace storepilot::fraud::internal

#endif  // STOREPILOT_FRAUD_INTERNAL_TREE_ENSEMBLE_H_
