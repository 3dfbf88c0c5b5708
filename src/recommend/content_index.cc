#include "recommend/content_index.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "hnswlib/hnswlib.h"

namespace storepilot::recommend {
namespace {

// HNSW graph parameters (hnswlib's recommended defaults for recall ~0.95+).
constexpr size_t kM = 16;
constexpr size_t kEfConstruction = 200;
constexpr size_t kEfSearch = 64;
constexpr size_t kInitialCapacity = 1024;
// Weights of a shared feature in the attribute fallback.
constexpr double kCategoryWeight = 2.0, kBrandWeight = 1.0, kTagWeight = 0.5;

double FeatureWeight(const std::string& feature) {
  switch (feature[0]) {
    case 'c': return kCategoryWeight;
    case 'b': return kBrandWeight;
    default: return kTagWeight;
  }
}

}  // namespace

ContentIndex::ContentIndex() = default;
ContentIndex::~ContentIndex() = default;

absl::Status ContentIndex::Upsert(ItemIndex item, const Product& product) {
  std::vector<std::string> feats;
  if (!product.category.empty()) feats.push_back(absl::StrCat("c:", product.category));
  if (!product.brand.empty()) feats.push_back(absl::StrCat("b:", product.brand));
  for (const std::string& t : product.tags) feats.push_back(absl::StrCat("t:", t));
  std::sort(feats.begin(), feats.end());
  feats.erase(std::unique(feats.begin(), feats.end()), feats.end());
  // Most updates change price or stock, not content: keep the index and the
  // cached answers then.
  auto known = item_features_.find(item);
  if (known != item_features_.end() && known->second == feats &&
      SameEmbedding(item, product.embedding)) {
    return absl::OkStatus();
  }
  ++generation_;
  // Attributes first: they serve as the fallback even if the vector is bad.
  for (const std::string& f : item_features_[item]) {
    auto& list = features_[f];
    list.erase(std::remove(list.begin(), list.end(), item), list.end());
  }
  for (const std::string& f : feats) features_[f].push_back(item);
  item_features_[item] = std::move(feats);

  if (product.embedding.empty()) return absl::OkStatus();
  if (dim_ != 0 && static_cast<int>(product.embedding.size()) != dim_) {
    return absl::InvalidArgumentError(absl::StrCat("embedding of ", product.id, " has ",
                                                   product.embedding.size(),
                                                   " dimensions, expected ", dim_));
  }
  double norm = 0;
  for (float v : product.embedding) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError(absl::StrCat("embedding of ", product.id,
                                                     " is not finite"));
    }
    norm += static_cast<double>(v) * v;
  }
  if (norm <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("embedding of ", product.id, " is zero"));
  }
  std::vector<float> unit(product.embedding.size());
  const double inv = 1.0 / std::sqrt(norm);
  for (size_t i = 0; i < unit.size(); ++i) unit[i] = static_cast<float>(product.embedding[i] * inv);
  try {
    if (!hnsw_) {
      dim_ = static_cast<int>(unit.size());
      space_ = std::make_unique<hnswlib::InnerProductSpace>(dim_);
      hnsw_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), kInitialCapacity,
                                                                 kM, kEfConstruction);
      hnsw_->setEf(kEfSearch);
    }
    if (hnsw_->cur_element_count >= hnsw_->max_elements_) {
      hnsw_->resizeIndex(2 * hnsw_->max_elements_);
    }
    hnsw_->addPoint(unit.data(), static_cast<hnswlib::labeltype>(item));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("hnswlib: ", e.what()));
  }
  vectors_[item] = std::move(unit);
  return absl::OkStatus();
}

bool ContentIndex::SameEmbedding(ItemIndex item, const std::vector<float>& embedding) const {
  if (embedding.empty()) return true;  // an upsert without one keeps the old vector
  auto it = vectors_.find(item);
  if (it == vectors_.end() || it->second.size() != embedding.size()) return false;
  double norm = 0;
  for (float v : embedding) norm += static_cast<double>(v) * v;
  if (!(norm > 0) || !std::isfinite(norm)) return false;
  const double inv = 1.0 / std::sqrt(norm);
  for (size_t i = 0; i < embedding.size(); ++i) {
    if (static_cast<float>(embedding[i] * inv) != it->second[i]) return false;
  }
  return true;
}

std::vector<std::pair<ItemIndex, double>> ContentIndex::ByEmbedding(ItemIndex item,
                                                                    int max) const {
  std::vector<std::pair<ItemIndex, double>> out;
  auto it = vectors_.find(item);
  if (it == vectors_.end() || !hnsw_) return out;
  const size_t k = std::min<size_t>(max + 1, hnsw_->cur_element_count);
  auto heap = hnsw_->searchKnn(it->second.data(), k);  // farthest on top
  while (!heap.empty()) {
    auto [distance, label] = heap.top();
    heap.pop();
    const double similarity = 1.0 - distance;  // inner product of unit vectors
    if (static_cast<ItemIndex>(label) != item && similarity > 0) {
      out.emplace_back(static_cast<ItemIndex>(label), similarity);
    }
  }
  std::reverse(out.begin(), out.end());
  if (out.size() > static_cast<size_t>(max)) out.resize(max);
  return out;
}

std::vector<std::pair<ItemIndex, double>> ContentIndex::ByAttributes(ItemIndex item,
                                                                     int max) const {
  std::vector<std::pair<ItemIndex, double>> out;
  auto it = item_features_.find(item);
  if (it == item_features_.end() || it->second.empty()) return out;
  double own = 0;
  absl::flat_hash_map<ItemIndex, double> overlap;
  for (const std::string& f : it->second) {
    const double w = FeatureWeight(f);
    own += w;
    for (ItemIndex other : features_.at(f)) {
      if (other != item) overlap[other] += w;
    }
  }
  for (const auto& [other, shared] : overlap) out.emplace_back(other, shared / own);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (out.size() > static_cast<size_t>(max)) out.resize(max);
  return out;
}

std::vector<std::pair<ItemIndex, double>> ContentIndex::Similar(ItemIndex item,
                                                                int max) const {
  if (max <= 0) return {};
  std::vector<std::pair<ItemIndex, double>> out = ByEmbedding(item, max);
  if (static_cast<int>(out.size()) >= max) return out;
  absl::flat_hash_set<ItemIndex> have;
  for (const auto& [i, s] : out) have.insert(i);
  // Attribute matches rank below every embedding match.
  const double cap = out.empty() ? 1.0 : out.back().second;
  for (const auto& [i, s] : ByAttributes(item, max)) {
    if (static_cast<int>(out.size()) >= max) break;
    if (have.insert(i).second) out.emplace_back(i, s * cap * 0.99);
  }
  return out;
}

}  // namespace storepilot::recommend
