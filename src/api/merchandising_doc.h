#ifndef STOREPILOT_API_MERCHANDISING_DOC_H_
#define STOREPILOT_API_MERCHANDISING_DOC_H_

// The one merchandising document of a shop (PUT .../merchandising/rules),
// shared by recommendations and search:
//
//   {"pinned": ["p1", "p2"],          // lead recommendations and the search browse
//    "hidden": ["p9"],                // never recommended, never found
//    "max_per_brand": 2,              // recommendation diversity caps (0 = none)
//    "max_per_category": 0,
//    "rules": [...]}                  // query rules of search (search/merchandising.h)
//
// Every key is optional; an empty object clears the rules.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "recommend/types.h"
#include "search/merchandising.h"

namespace storepilot::api {

struct MerchandisingDoc {
  recommend::MerchandisingRules recommend;
  // The query rules plus two derived ones: "global-hidden" (match any) and
  // "global-pinned" (the empty query, i.e. browsing without a query).
  std::vector<search::MerchandisingRule> search;
  std::string canonical_json;  // what the log stores and GET returns
};

// InvalidArgument naming the field on malformed input.
absl::StatusOr<MerchandisingDoc> ParseMerchandisingDoc(std::string_view json);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_MERCHANDISING_DOC_H_
