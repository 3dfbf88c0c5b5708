#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "search/batch_predict.h"

namespace storepilot::cli {

// `storepilot search predict --products F.jsonl --queries F.tsv --k 10
// --out F`: ranks every query with the engine the server uses.
void AddSearchCommand(CLI::App& app) {
  CLI::App* search = app.add_subcommand("search", "Product search batch tools");
  search->require_subcommand(1);
  CLI::App* predict = search->add_subcommand(
      "predict", "Rank a JSONL catalog for a TSV of queries; write top k ids");
  struct Flags {
    std::string products;
    std::string queries;
    std::string out;
    size_t k = 10;
  };
  auto flags = std::make_shared<Flags>();
  predict->add_option("--products", flags->products, "Products, JSONL")
      ->required();
  predict->add_option("--queries", flags->queries,
                      "Queries TSV with header: query_id, query, ...")
      ->required();
  predict->add_option("--k", flags->k, "Results per query")->default_val(10);
  predict->add_option("--out", flags->out, "Output: query_id<TAB>ids")
      ->required();
  predict->callback([flags] {
    const absl::Status status = search::RunBatchPredict(
        flags->products, flags->queries, flags->k, flags->out);
    if (!status.ok()) {
      std::cerr << "search predict: " << status << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace storepilot::cli
