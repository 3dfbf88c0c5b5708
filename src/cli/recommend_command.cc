// `storepilot recs predict|eval`: batch runs of the recommendation models.
// Flag parsing and wiring only; the work is in src/recommend/.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "recommend/sequence_batch.h"
#include "recommend/session_batch.h"

namespace storepilot::cli {
namespace {

struct RecsFlags {
  std::string format;
  std::vector<std::string> train;
  std::string input;
  std::string out;
  int k = 20;
  int threads = 2;
  recommend::SessionRecommenderOptions session;
  recommend::SequenceRecommenderOptions sequence;
  bool no_tune = false;
  std::string target = "test";
  std::string model = "blend";
};

void AddCommonFlags(CLI::App* cmd, RecsFlags* f) {
  cmd->add_option("--format", f->format, "sessions | sequences")
      ->required()
      ->check(CLI::IsMember({"sessions", "sequences"}));
  cmd->add_option("--train", f->train, "training sessions (sessions format)")
      ->delimiter(',');
  cmd->add_option("--input", f->input, "input file")->required();
  cmd->add_option("--k", f->k, "list length")->default_val(20);
  cmd->add_option("--threads", f->threads, "worker threads")->default_val(2);
  auto& s = f->session;
  cmd->add_option("--knn-neighbors", s.knn.neighbors, "sessions: session-kNN neighbours k")
      ->capture_default_str();
  cmd->add_option("--knn-sample", s.knn.sample_size, "sessions: session-kNN candidates per item")
      ->capture_default_str();
  cmd->add_option("--knn-position-decay", s.knn.position_decay, "sessions: STAN lambda1 (position decay)")
      ->capture_default_str();
  cmd->add_option("--knn-neighbor-decay", s.knn.neighbor_position_decay, "sessions: STAN lambda3 (neighbour position decay)")
      ->capture_default_str();
  cmd->add_option("--knn-recency-decay", s.knn.recency_decay,
                  "sessions: STAN lambda2 as a fraction of the training sessions")
      ->capture_default_str();
  cmd->add_option("--knn-before-anchor", s.knn.before_anchor_weight,
                  "sessions: weight of neighbour items before the shared item")
      ->capture_default_str();
  cmd->add_option("--knn-idf", s.knn.idf_power, "sessions: IDF power of shared items")
      ->capture_default_str();
  cmd->add_option("--knn-length-norm", s.knn.length_norm, "sessions: similarity length normalisation exponent")
      ->capture_default_str();
  cmd->add_option("--cooc-weight", s.cooc_weight, "sessions: co-occurrence weight")
      ->capture_default_str();
  cmd->add_option("--cooc-alpha", s.cooc.alpha, "sessions: co-occurrence normalisation")
      ->capture_default_str();
  cmd->add_option("--cooc-window", s.cooc.window, "sessions: co-occurrence window")
      ->capture_default_str();
  cmd->add_option("--rules-weight", s.rules_weight, "sessions: weight of transition rules")
      ->capture_default_str();
  cmd->add_option("--repeat-weight", s.repeat_weight, "sessions: weight of re-clicks")
      ->capture_default_str();
  cmd->add_option("--repeat-decay", s.repeat_decay, "sessions: re-click position decay")
      ->capture_default_str();
  cmd->add_option("--rules-distance", s.rules.max_distance, "sessions: rules window")
      ->capture_default_str();
  cmd->add_option("--rules-query-items", s.rules.query_items, "sessions: rules, items that vote")
      ->capture_default_str();
  cmd->add_flag("--no-tune", f->no_tune,
                "sequences: keep the default blend instead of tuning it on each line's "
                "last item");
}

recommend::SessionBatchOptions SessionOptions(const RecsFlags& f) {
  recommend::SessionBatchOptions o;
  o.train_paths = f.train;
  o.input_path = f.input;
  o.out_path = f.out;
  o.k = f.k;
  o.threads = f.threads;
  o.model = f.session;
  return o;
}

recommend::SequenceBatchOptions SequenceOptions(const RecsFlags& f) {
  recommend::SequenceBatchOptions o;
  o.input_path = f.input;
  o.out_path = f.out;
  o.k = f.k;
  o.threads = f.threads;
  o.tune = !f.no_tune;
  o.model = f.sequence;
  return o;
}

void PrintSequenceReport(const recommend::SequenceBatchReport& r) {
  std::cerr << "users " << r.users << " train_seconds " << r.train_seconds
            << " predict_seconds " << r.predict_seconds << "\nblend knn " << r.blend.knn
            << " rules " << r.blend.rules << " cooc " << r.blend.cooc << " pop "
            << r.blend.pop << "\ninternal validation " << r.validation.ToString() << "\n";
}

void Fail(const absl::Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  throw CLI::RuntimeError(1);
}

void RunPredict(const RecsFlags& f) {
  if (f.format == "sessions") {
    auto report = recommend::PredictSessions(SessionOptions(f));
    if (!report.ok()) Fail(report.status());
    std::cerr << "trained on " << report->train_sessions << " sessions in "
              << report->train_seconds << " s; " << report->cases << " lists in "
              << report->predict_seconds << " s\n";
    return;
  }
  auto report = recommend::PredictSequences(SequenceOptions(f));
  if (!report.ok()) Fail(report.status());
  PrintSequenceReport(*report);
}

void RunEval(const RecsFlags& f) {
  if (f.format == "sessions") {
    auto report = recommend::EvaluateSessions(SessionOptions(f));
    if (!report.ok()) Fail(report.status());
    std::cout << report->metrics.ToString() << "\n"
              << "train_seconds " << report->train_seconds << " predict_seconds "
              << report->predict_seconds << "\n";
    return;
  }
  auto report = recommend::EvaluateSequences(
      SequenceOptions(f),
      f.target == "test" ? recommend::EvalTarget::kTest : recommend::EvalTarget::kValidation,
      f.model == "pop" ? recommend::EvalModel::kPopularity : recommend::EvalModel::kBlend);
  if (!report.ok()) Fail(report.status());
  PrintSequenceReport(*report);
  std::cout << report->metrics.ToString() << "\n";
}

}  // namespace

void AddRecommendCommand(CLI::App& app) {
  CLI::App* recs = app.add_subcommand("recs", "recommendation models: batch predict/eval");
  recs->require_subcommand(1);
  auto predict_flags = std::make_shared<RecsFlags>();
  CLI::App* predict = recs->add_subcommand("predict", "train and write top-k lists");
  AddCommonFlags(predict, predict_flags.get());
  predict->add_option("--out", predict_flags->out, "output file")->required();
  predict->callback([predict_flags] { RunPredict(*predict_flags); });

  auto eval_flags = std::make_shared<RecsFlags>();
  CLI::App* eval = recs->add_subcommand("eval", "train, predict and score (HR/NDCG/MRR)");
  AddCommonFlags(eval, eval_flags.get());
  eval->add_option("--out", eval_flags->out, "also write the lists here");
  eval->add_option("--target", eval_flags->target,
                   "sequences: test (last item) or valid (second to last)")
      ->check(CLI::IsMember({"test", "valid"}));
  eval->add_option("--model", eval_flags->model, "sequences: blend or pop (PopRec)")
      ->check(CLI::IsMember({"blend", "pop"}));
  eval->callback([eval_flags] { RunEval(*eval_flags); });
}

}  // namespace storepilot::cli
