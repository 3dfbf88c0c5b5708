#include "search/batch_predict.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/status_macros.h"

namespace storepilot::search {

absl::StatusOr<std::vector<Product>> ReadProductsJsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<Product> products;
  std::string line;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    absl::StatusOr<Product> product = ParseProductJson(line);
    if (!product.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_no, ": ", product.status().message()));
    }
    products.push_back(*std::move(product));
  }
  return products;
}

absl::StatusOr<std::vector<BatchQuery>> ReadQueriesTsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<BatchQuery> queries;
  std::string line;
  std::getline(in, line);  // Header.
  for (size_t line_no = 2; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    if (columns.size() < 2 || columns[0].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_no, ": expected query_id<TAB>query"));
    }
    queries.push_back({std::move(columns[0]), std::move(columns[1])});
  }
  return queries;
}

SearchRequest BatchRequest(size_t k, size_t min_results) {
  SearchRequest request;
  request.per_page = k;
  request.prefix = false;  // Batch queries are complete.
  request.min_results = min_results;
  return request;
}

absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>>
PredictAll(const std::vector<Product>& products,
           const std::vector<BatchQuery>& queries, const SearchRequest& base,
           const SearchEngineOptions& options) {
  SystemClock clock;
  ASSIGN_OR_RETURN(std::unique_ptr<SearchEngine> engine,
                   SearchEngine::Create(options, &clock));
  for (const Product& product : products) {
    RETURN_IF_ERROR(engine->Upsert(product));
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> results;
  for (const BatchQuery& query : queries) {
    SearchRequest request = base;
    request.query = query.text;
    ASSIGN_OR_RETURN(SearchResponse response, engine->Search(request));
    std::vector<std::string> ids;
    for (const SearchHit& hit : response.hits) ids.push_back(hit.product_id);
    results.emplace_back(query.id, std::move(ids));
  }
  return results;
}

absl::Status RunBatchPredict(const std::string& products_path,
                             const std::string& queries_path, size_t k,
                             const std::string& out_path) {
  if (k == 0 || k > 250) {
    return absl::InvalidArgumentError("k must be between 1 and 250");
  }
  ASSIGN_OR_RETURN(std::vector<Product> products,
                   ReadProductsJsonl(products_path));
  ASSIGN_OR_RETURN(std::vector<BatchQuery> queries,
                   ReadQueriesTsv(queries_path));
  ASSIGN_OR_RETURN(auto results,
                   PredictAll(products, queries, BatchRequest(k), SearchEngineOptions()));
  std::ofstream out(out_path);
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", out_path));
  for (const auto& [id, ids] : results) {
    out << id << '\t' << absl::StrJoin(ids, " ") << '\n';
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", out_path));
  return absl::OkStatus();
}

}  // namespace storepilot::search
