// Evaluates a `storepilot fraud predict` score file with the Fraud Detection
// Handbook's protocol (chapter 3): customers known to be compromised (a fraud
// in the training window, or in the delay period up to each test day) leave
// the test set; then AUC ROC, average precision and card precision top-100
// (cards caught on earlier days removed) over the test days.
//
//   fraud_handbook_eval --transactions DIR --scores SCORES.csv
//     --train-start D --test-start D --test-end D [--delay-days 7]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "fraud/feature_store.h"
#include "fraud/metrics.h"
#include "fraud/transaction_csv.h"

namespace {

using storepilot::fraud::kMillisPerDay;

int Fail(const std::string& message) {
  std::cerr << "fraud_handbook_eval: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"evaluate fraud scores with the handbook protocol"};
  std::string dir, scores_path, train_start_s, test_start_s, test_end_s;
  int delay_days = 7, top_k = 100;
  app.add_option("--transactions", dir)->required();
  app.add_option("--scores", scores_path)->required();
  app.add_option("--train-start", train_start_s)->required();
  app.add_option("--test-start", test_start_s)->required();
  app.add_option("--test-end", test_end_s)->required();
  app.add_option("--delay-days", delay_days);
  app.add_option("--top-k", top_k);
  CLI11_PARSE(app, argc, argv);
  namespace fraud = storepilot::fraud;

  auto train_start = fraud::ParseDateMs(train_start_s);
  auto test_start = fraud::ParseDateMs(test_start_s);
  auto test_end = fraud::ParseDateMs(test_end_s);
  if (!train_start.ok() || !test_start.ok() || !test_end.ok()) return Fail("bad date");
  const int64_t test_end_excl = *test_end + kMillisPerDay;

  absl::flat_hash_map<int64_t, double> scores;
  {
    std::ifstream in(scores_path);
    if (!in) return Fail("cannot open " + scores_path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      int64_t id;
      double score;
      if (std::sscanf(line.c_str(), "%ld,%lf", &id, &score) != 2) return Fail("bad line " + line);
      scores[id] = score;
    }
  }
  auto files = fraud::ListDailyFiles(dir);
  if (!files.ok()) return Fail(files.status().ToString());
  // Frauds per day (index from train start) and the test transactions.
  std::map<int64_t, absl::flat_hash_set<int64_t>> fraud_customers_by_day;
  std::vector<fraud::Transaction> test;
  for (const auto& file : *files) {
    if (file.day_start_ms < *train_start || file.day_start_ms >= test_end_excl) continue;
    auto txs = fraud::ReadTransactionsCsv(file.path);
    if (!txs.ok()) return Fail(txs.status().ToString());
    for (const auto& tx : *txs) {
      const int64_t day = (tx.time_ms - *train_start) / kMillisPerDay;
      if (tx.fraud.value_or(false)) fraud_customers_by_day[day].insert(tx.customer_id);
      if (tx.time_ms >= *test_start && tx.time_ms < test_end_excl) test.push_back(tx);
    }
  }
  std::vector<double> s;
  std::vector<int> y;
  std::vector<fraud::CardScore> cards;
  int64_t missing = 0;
  for (const auto& tx : test) {
    const int64_t day = (tx.time_ms - *train_start) / kMillisPerDay;
    // Known compromised on test day D: frauds on days < D - delay.
    bool known = false;
    for (auto it = fraud_customers_by_day.begin();
         it != fraud_customers_by_day.end() && it->first < day - delay_days; ++it) {
      if (it->second.contains(tx.customer_id)) {
        known = true;
        break;
      }
    }
    if (known) continue;
    auto it = scores.find(tx.id);
    if (it == scores.end()) {
      ++missing;
      continue;
    }
    s.push_back(it->second);
    y.push_back(tx.fraud.value_or(false));
    cards.push_back({day, tx.customer_id, it->second, y.back()});
  }
  if (missing > 0) return Fail(std::to_string(missing) + " test transactions have no score");
  auto auc = fraud::RocAuc(s, y);
  auto ap = fraud::AveragePrecision(s, y);
  auto cp = fraud::CardPrecisionTopK(cards, top_k);
  if (!auc.ok() || !ap.ok() || !cp.ok()) return Fail("metrics need both classes");
  int64_t frauds = 0;
  for (int v : y) frauds += v;
  std::printf("test_transactions=%zu frauds=%ld AUC=%.4f AP=%.4f CP@%d=%.4f\n", s.size(),
              frauds, *auc, *ap, top_k, *cp);
  return 0;
}
