#ifndef STOREPILOT_BENCH_SEARCH_CATALOG_GENERATOR_H_
#define STOREPILOT_BENCH_SEARCH_CATALOG_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "search/product.h"

namespace storepilot::search::bench {

// A synthetic home-goods catalog shaped like a real one: a three-level
// category tree with ~120 product types, a few hundred brands with Zipf-like
// popularity, titles of "brand style material colour type (size)",
// descriptions of ~30 words, tags, colour/material attributes, log-normal
// prices per type. Deterministic for a seed.
std::vector<Product> GenerateCatalog(size_t count, uint64_t seed);

// Shopper-like queries against such a catalog: one to three words (type,
// colour/material/style + type, brand + type), a `typo_share` of them with
// one edit in a word of five letters or more.
std::vector<std::string> GenerateQueries(const std::vector<Product>& catalog,
                                         size_t count, double typo_share,
                                         uint64_t seed);

}  // namespace storepilot::search::bench

#endif  // STOREPILOT_BENCH_SEARCH_CATALOG_GENERATOR_H_
