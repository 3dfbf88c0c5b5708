#ifndef STOREPILOT_SEARCH_BATCH_PREDICT_H_
#define STOREPILOT_SEARCH_BATCH_PREDICT_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "search/product.h"
#include "search/search_engine.h"

namespace storepilot::search {

// A ranked list is judged as a whole, so the batch command keeps products
// that match only some of the query's words and lets the ranking order them.
inline constexpr size_t kBatchMinResults = 1000;

struct BatchQuery {
  std::string id;
  std::string text;
};

// Reads a JSONL catalog, one product per line (blank lines skipped).
// NotFound if the file cannot be opened; InvalidArgument naming the line
// of the first bad product.
absl::StatusOr<std::vector<Product>> ReadProductsJsonl(const std::string& path);

// Reads a TSV with a header line: query_id <TAB> query [<TAB> ignored...].
// NotFound if the file cannot be opened; InvalidArgument naming a line with
// fewer than two columns or an empty id.
absl::StatusOr<std::vector<BatchQuery>> ReadQueriesTsv(const std::string& path);

// The request the batch command sends for every query (its `query` left
// empty): the top `k` of complete queries (no prefix completion), relaxed
// until `min_results` products match.
SearchRequest BatchRequest(size_t k, size_t min_results = kBatchMinResults);

// Ranks every query against `products` with the server's engine and
// options, sending `base` with each query's text; returns (query id, product
// ids of the first page) in input order. InvalidArgument for a bad request.
absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>>
PredictAll(const std::vector<Product>& products,
           const std::vector<BatchQuery>& queries, const SearchRequest& base,
           const SearchEngineOptions& options);

// `storepilot search predict`: reads the files, ranks, writes
// "query_id<TAB>id id ..." per query. InvalidArgument for k = 0; errors of
// the readers; Internal if the output cannot be written.
absl::Status RunBatchPredict(const std::string& products_path,
                             const std::string& queries_path, size_t k,
                             const std::string& out_path);

}  // namespace storepilot::search

#endif  // STOREPILOT_SEARCH_BATCH_PREDICT_H_
