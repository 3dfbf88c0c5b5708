#include "search/personalization.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace storepilot::search {
namespace {

// Affinity by value id in `kind`'s pool; unknown names are ignored.
absl::flat_hash_map<uint32_t, float> Resolve(
    const InvertedIndex& index, FacetKind kind,
    const std::vector<std::pair<std::string, float>>& weights) {
  absl::flat_hash_map<uint32_t, float> out;
  for (const auto& [name, weight] : weights) {
    if (auto id = index.pool(kind).Find(name)) {
      out[*id] = std::clamp(weight, 0.0f, 1.0f);
    }
  }
  return out;
}

}  // namespace

void Personalize(const InvertedIndex& index, const Affinities& affinities,
                 const PersonalizationParams& params,
                 std::vector<Candidate>* ranked) {
  if (affinities.empty()) return;
  const auto brands = Resolve(index, FacetKind::kBrand, affinities.brands);
  const auto categories =
      Resolve(index, FacetKind::kCategory, affinities.categories);
  const size_t depth = std::min(params.depth, ranked->size());
  for (size_t i = 0; i < depth; ++i) {
    Candidate& cand = (*ranked)[i];
    const DocInfo& doc = index.doc(cand.doc);
    float affinity = 0.0f;
    if (auto it = brands.find(doc.brand); it != brands.end()) affinity = it->second;
    for (uint32_t category : doc.categories) {
      if (auto it = categories.find(category); it != categories.end()) {
        affinity = std::max(affinity, it->second);
      }
    }
    const bool in_band =
        (affinities.price_low || affinities.price_high) &&
        (!affinities.price_low || doc.price >= *affinities.price_low) &&
        (!affinities.price_high || doc.price <= *affinities.price_high);
    cand.score *= 1.0f + params.affinity_weight * affinity +
                  (in_band ? params.price_band_weight : 0.0f);
  }
  std::stable_sort(ranked->begin(), ranked->begin() + depth,
                   [](const Candidate& a, const Candidate& b) {
                     return a.score > b.score;
                   });
}

}  // namespace storepilot::search
