#include "recommend/sequence_batch.h"

#include <chrono>
#include <numeric>

#include "absl/container/flat_hash_set.h"
#include "common/status_macros.h"
#include "recommend/batch_io.h"
#include "recommend/parallel.h"

namespace storepilot::recommend {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Candidate blends for the internal validation. A coarse grid keeps tuning
// to a few seconds; it always contains the configured default.
std::vector<SequenceBlend> BlendGrid(const SequenceBlend& base) {
  std::vector<SequenceBlend> grid{base};
  for (float knn : {0.0f, 0.5f, 1.0f})
    for (float rules : {0.0f, 0.5f, 1.0f, 2.0f})
      for (float cooc : {0.0f, 0.5f, 1.0f})
        for (float pop : {0.0f, 0.1f}) {
          if (knn == 0 && rules == 0 && cooc == 0) continue;
          grid.push_back({knn, rules, cooc, pop});
        }
  return grid;
}

// At most this many users (evenly spaced) score the blend grid: enough for
// stable choices, and tuning stays a fixed cost on large data sets.
constexpr size_t kMaxTuningUsers = 25'000;

// Picks the blend with the best NDCG@20 on each row's last item, with the
// model fitted on the rows without it (all rows train; a sample of at most
// kMaxTuningUsers is scored). Fills `validation` with its metrics.
SequenceBlend TuneBlend(const std::vector<std::vector<ItemIndex>>& rows, int32_t num_items,
                        const SequenceBatchOptions& options, RankingMetrics* validation) {
  std::vector<std::vector<ItemIndex>> cut(rows.size());
  std::vector<ItemIndex> targets(rows.size(), kNoItem);
  const size_t stride = (rows.size() + kMaxTuningUsers - 1) / kMaxTuningUsers;
  for (size_t u = 0; u < rows.size(); ++u) {
    cut[u] = rows[u];
    if (cut[u].size() >= 2) {
      if (u % stride == 0) targets[u] = cut[u].back();
      cut[u].pop_back();
    }
  }
  SequenceRecommender model(options.model);
  model.Fit(cut, num_items);
  const std::vector<SequenceBlend> grid = BlendGrid(options.model.blend);
  std::vector<std::vector<RankingMetrics>> per_thread(
      options.threads, std::vector<RankingMetrics>(grid.size(), RankingMetrics({10, 20})));
  ParallelFor(static_cast<int64_t>(rows.size()), options.threads,
              [&](int64_t begin, int64_t end, int worker) {
                SequenceScratch scratch;
                for (int64_t u = begin; u < end; ++u) {
                  if (targets[u] == kNoItem) continue;
                  model.ComputeSources(cut[u], &scratch);
                  for (size_t g = 0; g < grid.size(); ++g) {
                    per_thread[worker][g].Add(model.Rank(cut[u], grid[g], 20, &scratch),
                                              targets[u]);
                  }
                }
              });
  size_t best = 0;
  double best_ndcg = -1;
  for (size_t g = 0; g < grid.size(); ++g) {
    RankingMetrics total({10, 20});
    for (const auto& t : per_thread) total.Merge(t[g]);
    double ndcg = total.Summary()[1].ndcg;
    if (ndcg > best_ndcg) {
      best_ndcg = ndcg;
      best = g;
      *validation = total;
    }
  }
  return grid[best];
}

// Trains (tuning first when asked) on `rows` and returns k items per row.
std::vector<std::vector<ItemIndex>> TrainAndRank(
    const std::vector<std::vector<ItemIndex>>& rows, int32_t num_items,
    const SequenceBatchOptions& options, SequenceBatchReport* report) {
  auto start = std::chrono::steady_clock::now();
  SequenceRecommenderOptions model_options = options.model;
  if (options.tune) {
    model_options.blend = TuneBlend(rows, num_items, options, &report->validation);
  }
  SequenceRecommender model(model_options);
  model.Fit(rows, num_items);
  report->blend = model.blend();
  report->train_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  std::vector<std::vector<ItemIndex>> lists(rows.size());
  ParallelFor(static_cast<int64_t>(rows.size()), options.threads,
              [&](int64_t begin, int64_t end, int) {
                SequenceScratch scratch;
                for (int64_t u = begin; u < end; ++u) {
                  lists[u] = model.Recommend(rows[u], options.k, &scratch);
                }
              });
  report->predict_seconds = SecondsSince(start);
  report->users = static_cast<int64_t>(rows.size());
  return lists;
}

absl::Status CheckOptions(const SequenceBatchOptions& options) {
  if (options.k <= 0) return absl::InvalidArgumentError("--k must be positive");
  if (options.threads <= 0) return absl::InvalidArgumentError("--threads must be positive");
  return absl::OkStatus();
}

// Popularity over every interaction of `users`, history excluded.
std::vector<std::vector<ItemIndex>> RankByPopularity(
    const std::vector<UserSequence>& users, const std::vector<std::vector<ItemIndex>>& rows,
    int32_t num_items, int k) {
  std::vector<int64_t> counts(num_items, 0);
  for (const auto& u : users)
    for (ItemIndex i : u.items) ++counts[i];
  std::vector<ItemIndex> order(num_items);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](ItemIndex a, ItemIndex b) { return counts[a] > counts[b]; });
  std::vector<std::vector<ItemIndex>> lists(rows.size());
  for (size_t u = 0; u < rows.size(); ++u) {
    absl::flat_hash_set<ItemIndex> seen(rows[u].begin(), rows[u].end());
    FillFrom(order, k, [&](ItemIndex i) { return seen.contains(i); }, &lists[u]);
  }
  return lists;
}

}  // namespace

absl::StatusOr<SequenceBatchReport> PredictSequences(const SequenceBatchOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  Vocabulary vocab;
  ASSIGN_OR_RETURN(std::vector<UserSequence> users, ReadSequences(options.input_path, &vocab));
  std::vector<std::vector<ItemIndex>> rows(users.size());
  std::vector<std::string> keys(users.size());
  for (size_t u = 0; u < users.size(); ++u) {
    rows[u] = users[u].items;
    keys[u] = users[u].user;
  }
  SequenceBatchReport report;
  std::vector<std::vector<ItemIndex>> lists = TrainAndRank(rows, vocab.size(), options, &report);
  RETURN_IF_ERROR(WriteRecommendations(options.out_path, keys, lists, vocab));
  return report;
}

absl::StatusOr<SequenceBatchReport> EvaluateSequences(const SequenceBatchOptions& options,
                                                      EvalTarget target, EvalModel model) {
  RETURN_IF_ERROR(CheckOptions(options));
  Vocabulary vocab;
  ASSIGN_OR_RETURN(std::vector<UserSequence> users, ReadSequences(options.input_path, &vocab));
  const size_t cut = target == EvalTarget::kTest ? 1 : 2;
  std::vector<std::vector<ItemIndex>> rows(users.size());
  std::vector<ItemIndex> targets(users.size(), kNoItem);
  for (size_t u = 0; u < users.size(); ++u) {
    const auto& items = users[u].items;
    if (items.size() <= cut) {
      rows[u] = items;  // too short to hold out: trains, but is not a test case
      continue;
    }
    rows[u].assign(items.begin(), items.end() - cut);
    targets[u] = items[items.size() - cut];
  }
  SequenceBatchReport report;
  std::vector<std::vector<ItemIndex>> lists =
      model == EvalModel::kPopularity
          ? RankByPopularity(users, rows, vocab.size(), options.k)
          : TrainAndRank(rows, vocab.size(), options, &report);
  report.metrics = RankingMetrics({10, 20});
  for (size_t u = 0; u < users.size(); ++u) {
    if (targets[u] != kNoItem) report.metrics.Add(lists[u], targets[u]);
  }
  if (!options.out_path.empty()) {
    std::vector<std::string> keys(users.size());
    for (size_t u = 0; u < users.size(); ++u) keys[u] = users[u].user;
    RETURN_IF_ERROR(WriteRecommendations(options.out_path, keys, lists, vocab));
  }
  return report;
}

}  // namespace storepilot::recommend
