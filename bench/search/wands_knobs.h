#ifndef STOREPILOT_BENCH_SEARCH_WANDS_KNOBS_H_
#define STOREPILOT_BENCH_SEARCH_WANDS_KNOBS_H_

#include <string>

#include "search/search_engine.h"

namespace storepilot::search::bench {

// Overrides one ranking knob from "name=value" (for tuning experiments:
// the shipped defaults are what the batch command uses). Returns false and
// prints the known names on an unknown knob.
bool SetKnob(const std::string& assignment, SearchEngineOptions* options);

}  // namespace storepilot::search::bench

#endif  // STOREPILOT_BENCH_SEARCH_WANDS_KNOBS_H_
