#include "wands_knobs.h"

#include <iostream>

namespace storepilot::search::bench {

bool SetKnob(const std::string& assignment, SearchEngineOptions* options) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos) return false;
  const std::string name = assignment.substr(0, eq);
  const double value = std::stod(assignment.substr(eq + 1));
  RankingParams& r = options->ranking;
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (name == "w." + std::string(kFieldNames[f])) {
      r.bm25f.weight[f] = static_cast<float>(value);
      return true;
    }
    if (name == "b." + std::string(kFieldNames[f])) {
      r.bm25f.b[f] = static_cast<float>(value);
      return true;
    }
  }
  if (name == "k1") r.bm25f.k1 = static_cast<float>(value);
  else if (name == "coverage") r.coverage_exponent = static_cast<float>(value);
  else if (name == "proximity") r.proximity_weight = static_cast<float>(value);
  else if (name == "intent") r.intent_weight = static_cast<float>(value);
  else if (name == "intent_depth") r.intent_depth = static_cast<size_t>(value);
  else if (name == "typo1") options->query.one_typo_weight = static_cast<float>(value);
  else if (name == "typo2") options->query.two_typo_weight = static_cast<float>(value);
  else if (name == "head") options->query.head_weight = static_cast<float>(value);
  else if (name == "compound") options->query.compound_weight = static_cast<float>(value);
  else {
    std::cerr << "unknown knob " << name
              << " (w.<field>, b.<field>, k1, coverage, proximity, intent, "
                 "intent_depth, typo1, typo2, compound)\n";
    return false;
  }
  return true;
}

}  // namespace storepilot::search::bench
