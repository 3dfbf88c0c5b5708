#ifndef STOREPILOT_FRAUD_INTERNAL_WINDOW_FEATURES_H_
#define STOREPILOT_FRAUD_INTERNAL_WINDOW_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fraud/entity_history.h"

namespace storepilot::fraud::internal {

// Suffixes of the per-entity features, in layout order (the full name is
// "<entity>_<suffix>").
const std::vector<std::string>& WindowFeatureSuffixes();

// Writes the window features of one entity for an order of `amount` at
// `now_ms` into out[0 .. WindowFeatureSuffixes().size()). `history` is null
// when the order has no such entity (all features missing); an empty history
// means the entity is new (counts 0, ratios missing).
void ComputeWindowFeatures(const EntityHistory* history, double amount,
                           int64_t now_ms, int64_t label_delay_ms, float* out);

}  // namespace storepilot::fraud::internal

#endif  // STOREPILOT_FRAUD_INTERNAL_WINDOW_FEATURES_H_
