#include "fraud/internal/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace storepilot::fraud::internal {

struct TreeEnsemble::PathElement {
  int feature = -1;
  double zero_fraction = 0;
  double one_fraction = 0;
  double pweight = 0;
};

namespace {

using PathElement = TreeEnsemble::PathElement;

// 1/k for the small integers the path operations divide by; depths beyond
// kMaxReciprocal fall back to division.
constexpr int kMaxReciprocal = 64;
struct Reciprocals {
  double r[kMaxReciprocal + 1];
  constexpr Reciprocals() : r() {
    for (int k = 1; k <= kMaxReciprocal; ++k) r[k] = 1.0 / k;
  }
  double operator()(int k) const { return k <= kMaxReciprocal ? r[k] : 1.0 / k; }
};
constexpr Reciprocals kInv;

// The three path operations of TreeSHAP (Algorithm 2 of the paper): extend
// the path of unique features by one split, undo a split, and the sum of
// weights a feature would have with its split undone. Divisions by small
// integers are multiplications by kInv: this is the hot loop of explaining.
void ExtendPath(PathElement* path, int depth, double zero_fraction, double one_fraction,
                int feature) {
  path[depth] = {feature, zero_fraction, one_fraction, depth == 0 ? 1.0 : 0.0};
  const double inv = kInv(depth + 1);
  for (int i = depth - 1; i >= 0; --i) {
    path[i + 1].pweight += one_fraction * path[i].pweight * (i + 1) * inv;
    path[i].pweight = zero_fraction * path[i].pweight * (depth - i) * inv;
  }
}

void UnwindPath(PathElement* path, int depth, int index) {
  const double one = path[index].one_fraction, zero = path[index].zero_fraction;
  double next_one_portion = path[depth].pweight;
  const double inv = kInv(depth + 1);
  for (int i = depth - 1; i >= 0; --i) {
    if (one != 0) {
      const double tmp = path[i].pweight;
      path[i].pweight = next_one_portion * (depth + 1) / ((i + 1) * one);
      next_one_portion = tmp - path[i].pweight * zero * (depth - i) * inv;
    } else {
      path[i].pweight = path[i].pweight * (depth + 1) / (zero * (depth - i));
    }
  }
  for (int i = index; i < depth; ++i) {
    path[i].feature = path[i + 1].feature;
    path[i].zero_fraction = path[i + 1].zero_fraction;
    path[i].one_fraction = path[i + 1].one_fraction;
  }
}

double UnwoundPathSum(const PathElement* path, int depth, int index) {
  const double one = path[index].one_fraction, zero = path[index].zero_fraction;
  double next_one_portion = path[depth].pweight, total = 0;
  const double inv = kInv(depth + 1);
  if (one != 0) {
    const double inv_one = 1.0 / one;
    for (int i = depth - 1; i >= 0; --i) {
      const double tmp = next_one_portion * (depth + 1) * kInv(i + 1) * inv_one;
      total += tmp;
      next_one_portion = path[i].pweight - tmp * zero * (depth - i) * inv;
    }
  } else if (zero != 0) {
    const double inv_zero = 1.0 / zero;
    for (int i = depth - 1; i >= 0; --i) {
      total += path[i].pweight * inv_zero * (depth + 1) * kInv(depth - i);
    }
  }
  return total;
}

template <typename T>
absl::StatusOr<std::vector<T>> Array(const nlohmann::json& tree, const char* key, size_t n) {
  auto it = tree.find(key);
  if (it == tree.end() || !it->is_array() || it->size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("tree field ", key, " missing or short"));
  }
  return it->get<std::vector<T>>();
}

}  // namespace

int32_t TreeEnsemble::Next(const Node& node, const float* row) const {
  const float v = row[node.feature];
  if (std::isnan(v)) return node.default_left ? node.left : node.right;
  return v < node.threshold ? node.left : node.right;
}

absl::StatusOr<TreeEnsemble> TreeEnsemble::FromXgboostJson(const std::string& json,
                                                           size_t num_features) {
  TreeEnsemble out;
  out.num_features_ = num_features;
  try {
    const nlohmann::json model = nlohmann::json::parse(json);
    const auto& learner = model.at("learner");
    if (learner.at("objective").at("name") != "binary:logistic" ||
        learner.at("gradient_booster").at("name") != "gbtree") {
      return absl::InvalidArgumentError("only gbtree binary:logistic models are supported");
    }
    const double base_score =
        std::stod(learner.at("learner_model_param").at("base_score").get<std::string>());
    if (!(base_score > 0 && base_score < 1)) {
      return absl::InvalidArgumentError("base_score outside (0, 1)");
    }
    out.base_margin_ = -std::log(1 / base_score - 1);
    out.expected_margin_ = out.base_margin_;
    for (const auto& tree : learner.at("gradient_booster").at("model").at("trees")) {
      const size_t n = std::stoul(tree.at("tree_param").at("num_nodes").get<std::string>());
      auto left = Array<int32_t>(tree, "left_children", n);
      auto right = Array<int32_t>(tree, "right_children", n);
      auto feature = Array<int32_t>(tree, "split_indices", n);
      auto threshold = Array<float>(tree, "split_conditions", n);
      auto cover = Array<float>(tree, "sum_hessian", n);
      auto default_left = Array<int>(tree, "default_left", n);
      auto split_type = Array<int>(tree, "split_type", n);
      for (const auto* s : {&left.status(), &right.status(), &feature.status(),
                            &threshold.status(), &cover.status(), &default_left.status(),
                            &split_type.status()}) {
        if (!s->ok()) return *s;
      }
      const int32_t offset = static_cast<int32_t>(out.nodes_.size());
      for (size_t i = 0; i < n; ++i) {
        Node node;
        const bool leaf = (*left)[i] == -1;
        if (!leaf && ((*split_type)[i] != 0 || (*feature)[i] < 0 ||
                      static_cast<size_t>((*feature)[i]) >= num_features ||
                      (*left)[i] <= static_cast<int32_t>(i) || (*right)[i] <= static_cast<int32_t>(i) ||
                      static_cast<size_t>((*left)[i]) >= n || static_cast<size_t>((*right)[i]) >= n)) {
          return absl::InvalidArgumentError("malformed or categorical split in tree");
        }
        node.left = leaf ? -1 : (*left)[i] + offset;
        node.right = leaf ? -1 : (*right)[i] + offset;
        node.feature = leaf ? 0 : (*feature)[i];
        node.default_left = (*default_left)[i] != 0;
        node.threshold = (*threshold)[i];
        node.cover = (*cover)[i];
        out.nodes_.push_back(node);
      }
      out.roots_.push_back(offset);
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("bad XGBoost JSON model: ", e.what()));
  }
  // Depth and each tree's mean value (cover-weighted leaves): the bias of SHAP.
  std::function<double(int32_t, int, int*)> mean = [&](int32_t i, int depth, int* max_depth) {
    *max_depth = std::max(*max_depth, depth);
    const Node& node = out.nodes_[i];
    if (node.left < 0) return static_cast<double>(node.threshold);
    const double l = mean(node.left, depth + 1, max_depth);
    const double r = mean(node.right, depth + 1, max_depth);
    const double c = node.cover > 0 ? node.cover : 1;
    return (l * out.nodes_[node.left].cover + r * out.nodes_[node.right].cover) / c;
  };
  for (int32_t root : out.roots_) out.expected_margin_ += mean(root, 0, &out.max_depth_);
  out.Tabulate();
  return out;
}

void TreeEnsemble::Tabulate() {
  leaf_tables_.assign(roots_.size(), {});
  for (size_t t = 0; t < roots_.size(); ++t) {
    std::vector<LeafTable> leaves;
    bool ok = true;
    // Depth-first walk keeping the splits from the root to each node.
    std::vector<std::pair<int32_t, int32_t>> path;  // (node, child taken)
    std::function<void(int32_t)> walk = [&](int32_t i) {
      if (!ok) return;
      const Node& node = nodes_[i];
      if (node.left >= 0) {
        for (int32_t child : {node.left, node.right}) {
          path.push_back({i, child});
          walk(child);
          path.pop_back();
        }
        return;
      }
      LeafTable leaf;
      leaf.conditions_begin = static_cast<int32_t>(conditions_.size());
      leaf.features_begin = static_cast<int32_t>(leaf_features_.size());
      std::vector<double> zero;  // Per slot: product of the cover ratios.
      for (const auto& [n, child] : path) {
        const int feature = nodes_[n].feature;
        int slot = 0;
        while (slot < leaf.k && leaf_features_[leaf.features_begin + slot] != feature) ++slot;
        if (slot == leaf.k) {
          if (++leaf.k > kMaxTabulatedFeatures) {
            ok = false;
            return;
          }
          leaf_features_.push_back(feature);
          zero.push_back(1.0);
        }
        const double w = nodes_[n].cover;
        zero[slot] *= w > 0 ? nodes_[child].cover / w : 0;
        conditions_.push_back({n, child, slot});
      }
      leaf.conditions_end = static_cast<int32_t>(conditions_.size());
      leaf.table_begin = static_cast<int64_t>(table_.size());
      // The path TreeSHAP holds at this leaf, for every hot/cold pattern.
      std::vector<PathElement> p(leaf.k + 1);
      for (int pattern = 0; pattern < (1 << leaf.k); ++pattern) {
        ExtendPath(p.data(), 0, 1, 1, -1);
        for (int j = 0; j < leaf.k; ++j) {
          ExtendPath(p.data(), j + 1, zero[j], (pattern >> j) & 1, j);
        }
        for (int j = 1; j <= leaf.k; ++j) {
          const double w = UnwoundPathSum(p.data(), leaf.k, j);
          table_.push_back(
              static_cast<float>(w * (p[j].one_fraction - p[j].zero_fraction) * node.threshold));
        }
      }
      leaves.push_back(leaf);
    };
    walk(roots_[t]);
    if (ok) leaf_tables_[t] = std::move(leaves);
  }
}

double TreeEnsemble::Margin(const float* row) const {
  double margin = base_margin_;
  for (int32_t i : roots_) {
    while (nodes_[i].left >= 0) i = Next(nodes_[i], row);
    margin += nodes_[i].threshold;
  }
  return margin;
}

void TreeEnsemble::TreeShap(const float* row, double* phi, int32_t node_index, int depth,
                            PathElement* parent_path, double parent_zero_fraction,
                            double parent_one_fraction, int parent_feature) const {
  const Node& node = nodes_[node_index];
  PathElement* path = parent_path + depth + 1;
  std::copy(parent_path, parent_path + depth + 1, path);
  ExtendPath(path, depth, parent_zero_fraction, parent_one_fraction, parent_feature);
  if (node.left < 0) {
    for (int i = 1; i <= depth; ++i) {
      const double w = UnwoundPathSum(path, depth, i);
      phi[path[i].feature] += w * (path[i].one_fraction - path[i].zero_fraction) * node.threshold;
    }
    return;
  }
  const int32_t hot = Next(node, row);
  const int32_t cold = hot == node.left ? node.right : node.left;
  const double w = node.cover;
  const double hot_zero = w > 0 ? nodes_[hot].cover / w : 0;
  const double cold_zero = w > 0 ? nodes_[cold].cover / w : 0;
  double incoming_zero = 1, incoming_one = 1;
  // A feature split on again further down: undo its earlier split first.
  int k = 0;
  for (; k <= depth; ++k) {
    if (path[k].feature == node.feature) break;
  }
  if (k != depth + 1) {
    incoming_zero = path[k].zero_fraction;
    incoming_one = path[k].one_fraction;
    UnwindPath(path, depth, k);
    depth -= 1;
  }
  TreeShap(row, phi, hot, depth + 1, path, hot_zero * incoming_zero, incoming_one, node.feature);
  TreeShap(row, phi, cold, depth + 1, path, cold_zero * incoming_zero, 0, node.feature);
}

void TreeEnsemble::Shap(const float* row, double* phi) const {
  std::fill(phi, phi + num_features_ + 1, 0.0);
  bool any_untabulated = false;
  // The child the row takes at each split of a tree, computed once per split
  // and read by every leaf below it (a split lies on the paths of all of them).
  absl::InlinedVector<int32_t, 64> next;
  for (size_t t = 0; t < roots_.size(); ++t) {
    if (leaf_tables_[t].empty()) {
      any_untabulated = true;
      continue;
    }
    const int32_t root = roots_[t];
    const int32_t end =
        t + 1 < roots_.size() ? roots_[t + 1] : static_cast<int32_t>(nodes_.size());
    next.resize(static_cast<size_t>(end - root));
    for (int32_t i = root; i < end; ++i) {
      if (nodes_[i].left >= 0) next[i - root] = Next(nodes_[i], row);
    }
    for (const LeafTable& leaf : leaf_tables_[t]) {
      int pattern = (1 << leaf.k) - 1;
      for (int32_t c = leaf.conditions_begin; c < leaf.conditions_end; ++c) {
        const PathCondition& cond = conditions_[c];
        if (next[cond.node - root] != cond.child) pattern &= ~(1 << cond.slot);
      }
      const float* terms = &table_[leaf.table_begin + static_cast<int64_t>(pattern) * leaf.k];
      for (int j = 0; j < leaf.k; ++j) phi[leaf_features_[leaf.features_begin + j]] += terms[j];
    }
  }
  phi[num_features_] = expected_margin_;
  if (!any_untabulated) return;
  // Each recursion level copies the path into its own slot; shallow trees
  // (the usual case) need no allocation.
  const int d = max_depth_ + 2;
  absl::InlinedVector<PathElement, 128> paths(static_cast<size_t>(d * (d + 1)) / 2 + d);
  for (size_t t = 0; t < roots_.size(); ++t) {
    if (leaf_tables_[t].empty()) TreeShap(row, phi, roots_[t], 0, paths.data(), 1, 1, -1);
  }
}

}  // namespace storepilot::fraud::internal
