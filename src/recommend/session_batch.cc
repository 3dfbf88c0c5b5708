#include "recommend/session_batch.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "recommend/batch_io.h"
#include "recommend/parallel.h"

namespace storepilot::recommend {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Trained {
  Vocabulary vocab;
  std::vector<SessionPrefix> prefixes;
  std::vector<std::vector<ItemIndex>> predictions;
};

absl::StatusOr<Trained> TrainAndPredict(const SessionBatchOptions& options,
                                        SessionBatchReport* report) {
  if (options.k <= 0) return absl::InvalidArgumentError("--k must be positive");
  if (options.train_paths.empty()) return absl::InvalidArgumentError("no --train file");
  Trained t;
  auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(std::vector<std::vector<ItemIndex>> sessions,
                   ReadSessions(options.train_paths, &t.vocab));
  SessionRecommender model(options.model);
  for (const auto& s : sessions) model.AddSession(s);
  model.Finalize();
  report->train_sessions = static_cast<int64_t>(sessions.size());
  report->train_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(t.prefixes, ReadPrefixes(options.input_path, &t.vocab));
  t.predictions.resize(t.prefixes.size());
  ParallelFor(static_cast<int64_t>(t.prefixes.size()), options.threads,
              [&](int64_t begin, int64_t end, int) {
                SessionScratch scratch;
                for (int64_t i = begin; i < end; ++i) {
                  t.predictions[i] = model.Recommend(t.prefixes[i].items, options.k, &scratch);
                }
              });
  report->predict_seconds = SecondsSince(start);
  report->cases = static_cast<int64_t>(t.prefixes.size());
  return t;
}

}  // namespace

absl::StatusOr<SessionBatchReport> PredictSessions(const SessionBatchOptions& options) {
  SessionBatchReport report;
  ASSIGN_OR_RETURN(Trained t, TrainAndPredict(options, &report));
  std::vector<std::string> keys(t.prefixes.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = absl::StrCat(i);
  RETURN_IF_ERROR(WriteRecommendations(options.out_path, keys, t.predictions, t.vocab));
  return report;
}

absl::StatusOr<SessionBatchReport> EvaluateSessions(const SessionBatchOptions& options) {
  SessionBatchReport report;
  ASSIGN_OR_RETURN(Trained t, TrainAndPredict(options, &report));
  report.metrics = RankingMetrics({options.k, 10});
  for (size_t i = 0; i < t.prefixes.size(); ++i) {
    if (t.prefixes[i].label.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("input line ", i, " has no label<TAB> column"));
    }
    report.metrics.Add(t.predictions[i], t.vocab.Find(t.prefixes[i].label));
  }
  if (!options.out_path.empty()) {
    std::vector<std::string> keys(t.prefixes.size());
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = absl::StrCat(i);
    RETURN_IF_ERROR(WriteRecommendations(options.out_path, keys, t.predictions, t.vocab));
  }
  return report;
}

}  // namespace storepilot::recommend
