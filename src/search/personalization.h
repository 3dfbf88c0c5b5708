#ifndef STOREPILOT_SEARCH_PERSONALIZATION_H_
#define STOREPILOT_SEARCH_PERSONALIZATION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "search/inverted_index.h"
#include "search/scorer.h"

namespace storepilot::search {

// A shopper's affinities, as the recommendation engine's session and user
// models estimate them. Weights are clipped to [0, 1]; names compare in
// normalised form.
struct Affinities {
  std::vector<std::pair<std::string, float>> brands;
  std::vector<std::pair<std::string, float>> categories;  // Any path level.
  std::optional<double> price_low;   // Preferred price band, inclusive.
  std::optional<double> price_high;

  bool empty() const {
    return brands.empty() && categories.empty() && !price_low && !price_high;
  }
};

struct PersonalizationParams {
  size_t depth = 50;  // Only the top results are re-ranked.
  // score *= 1 + affinity_weight * max(brand, category affinity)
  //            + price_band_weight * [price within the band].
  float affinity_weight = 0.5f;
  float price_band_weight = 0.1f;
};

// Re-ranks the first `depth` of `ranked` (best first, as RankCandidates left
// them) for the shopper; the rest keep their place. Reads the index: the
// caller holds its lock.
void Personalize(const InvertedIndex& index, const Affinities& affinities,
                 const PersonalizationParams& params,
                 std::vector<Candidate>* ranked);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_PERSONALIZATION_H_
