#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "fraud/batch_predict.h"

namespace storepilot::cli {

void AddFraudCommand(CLI::App& app) {
  CLI::App* fraud = app.add_subcommand("fraud", "fraud scoring: batch prediction");
  fraud->require_subcommand(1);
  auto options = std::make_shared<fraud::BatchPredictOptions>();
  CLI::App* predict = fraud->add_subcommand(
      "predict",
      "train on a labelled window of daily transaction files and score a test window");
  predict->add_option("--transactions", options->transactions_dir,
                      "directory of daily YYYY-MM-DD.csv.gz files")
      ->required();
  predict->add_option("--train-start", options->train_start, "YYYY-MM-DD")->required();
  predict->add_option("--train-end", options->train_end, "YYYY-MM-DD, inclusive")->required();
  predict->add_option("--test-start", options->test_start, "YYYY-MM-DD")->required();
  predict->add_option("--test-end", options->test_end, "YYYY-MM-DD, inclusive")->required();
  predict->add_option("--delay-days", options->delay_days,
                      "days before a label may be used by features")
      ->capture_default_str();
  predict->add_option("--out", options->out_path, "output CSV: TRANSACTION_ID,score")
      ->required();
  predict->add_option("--model-out", options->model_out_path,
                      "optional: save the trained model here");
  predict->add_option("--features-out", options->features_out_path,
                      "optional: write the test transactions' features to this CSV");
  predict->add_option("--feature-set", options->feature_set,
                      "full, or handbook (the published baseline's 15 features)")
      ->capture_default_str();
  predict->add_option("--drop-features", options->drop_features,
                      "features to leave missing (names), for ablations")
      ->delimiter(',');
  predict->add_option("--rounds", options->train.rounds, "boosting rounds")
      ->capture_default_str();
  predict->add_option("--max-depth", options->train.max_depth, "tree depth")
      ->capture_default_str();
  predict->add_option("--learning-rate", options->train.learning_rate, "shrinkage")
      ->capture_default_str();
  predict->add_option("--min-child-weight", options->train.min_child_weight,
                      "minimum hessian per leaf")
      ->capture_default_str();
  predict->add_option("--subsample", options->train.subsample, "rows per tree")
      ->capture_default_str();
  predict->add_option("--colsample", options->train.colsample_bytree, "features per tree")
      ->capture_default_str();
  predict->add_option("--seed", options->train.seed, "random seed of row/column sampling")
      ->capture_default_str();
  predict->add_option("--threads", options->train.threads, "training threads")
      ->capture_default_str();
  predict->callback([options] {
    auto summary = fraud::RunBatchPredict(*options);
    if (!summary.ok()) {
      std::cerr << "fraud predict: " << summary.status() << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cerr << "read " << summary->transactions_read << " transactions; trained on "
              << summary->train_rows << " (" << summary->train_frauds << " fraud); scored "
              << summary->test_rows << "\nfeatures " << summary->feature_seconds
              << " s, training " << summary->train_seconds << " s, prediction "
              << summary->predict_seconds << " s; " << summary->tracked_keys
              << " tracked keys, " << summary->bytes_per_key << " bytes/key; model "
              << summary->model_version << "\n";
  });
}

}  // namespace storepilot::cli
