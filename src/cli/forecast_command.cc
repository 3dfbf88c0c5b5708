// `storepilot forecast predict|eval`: flag parsing and wiring only; the work
// is done by the forecast library.
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "common/status_macros.h"
#include "forecast/batch.h"
#include "forecast/forecaster.h"
#include "forecast/metrics.h"
#include "forecast/series_csv.h"

namespace storepilot::cli {
namespace {

namespace fc = ::storepilot::forecast;

struct PredictFlags {
  std::string input, out, out_quantiles, method = "auto";
  int horizon = 0, season = 1, threads = 0;
  int holdout_windows = fc::ForecastOptions().holdout_windows;
  int combine_top = fc::ForecastOptions().combine_top;
  int max_history = fc::ForecastOptions().max_history;
  std::vector<double> quantiles;
  bool no_detect = false;
};

struct EvalFlags {
  std::string forecast, actual, train, quantiles;
  int season = 1;
};

absl::Status RunPredict(const PredictFlags& f) {
  if (!f.quantiles.empty() && f.out_quantiles.empty()) {
    return absl::InvalidArgumentError("--quantiles needs --out-quantiles");
  }
  fc::ForecastOptions options;
  options.horizon = f.horizon;
  options.season = f.season;
  options.detect_periods = !f.no_detect;
  options.quantiles = f.quantiles;
  options.holdout_windows = f.holdout_windows;
  options.combine_top = f.combine_top;
  options.max_history = f.max_history;
  ASSIGN_OR_RETURN(options.method, fc::ParseMethod(f.method));
  ASSIGN_OR_RETURN(fc::Forecaster forecaster, fc::Forecaster::Create(options));
  ASSIGN_OR_RETURN(std::string text, fc::ReadTextFile(f.input));
  ASSIGN_OR_RETURN(std::vector<fc::NamedSeries> series, fc::ParseWideCsv(text));
  int threads = f.threads > 0 ? f.threads
                              : std::max(1u, std::thread::hardware_concurrency());
  ASSIGN_OR_RETURN(std::vector<fc::ForecastResult> results,
                   fc::ForecastAll(forecaster, series, threads));
  std::vector<fc::NamedSeries> points;
  std::vector<fc::QuantileRow> rows;
  for (size_t i = 0; i < series.size(); ++i) {
    points.push_back({series[i].id, results[i].point});
    for (size_t q = 0; q < results[i].levels.size(); ++q) {
      rows.push_back({series[i].id, results[i].levels[q], results[i].quantiles[q]});
    }
  }
  ASSIGN_OR_RETURN(std::string out, fc::FormatForecastCsv(points, f.horizon));
  RETURN_IF_ERROR(fc::WriteTextFile(f.out, out));
  if (f.out_quantiles.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string qout, fc::FormatQuantileCsv(rows, f.horizon));
  return fc::WriteTextFile(f.out_quantiles, qout);
}

absl::Status RunEval(const EvalFlags& f) {
  ASSIGN_OR_RETURN(std::string ftext, fc::ReadTextFile(f.forecast));
  ASSIGN_OR_RETURN(std::string atext, fc::ReadTextFile(f.actual));
  ASSIGN_OR_RETURN(std::string ttext, fc::ReadTextFile(f.train));
  ASSIGN_OR_RETURN(auto forecasts, fc::ParseWideCsv(ftext));
  ASSIGN_OR_RETURN(auto actual, fc::ParseWideCsv(atext));
  ASSIGN_OR_RETURN(auto train, fc::ParseWideCsv(ttext));
  std::vector<fc::QuantileRow> quantiles;
  if (!f.quantiles.empty()) {
    ASSIGN_OR_RETURN(std::string qtext, fc::ReadTextFile(f.quantiles));
    ASSIGN_OR_RETURN(quantiles, fc::ParseQuantileCsv(qtext));
  }
  ASSIGN_OR_RETURN(fc::EvalReport report,
                   fc::Evaluate(train, actual, forecasts, quantiles, f.season));
  std::printf("%s", fc::FormatReport(report).c_str());
  return absl::OkStatus();
}

// CLI11 exits quietly on RuntimeError, so the reason is printed here.
void Check(const absl::Status& s) {
  if (s.ok()) return;
  std::fprintf(stderr, "forecast: %s\n", s.ToString().c_str());
  throw CLI::RuntimeError(1);
}

}  // namespace

void AddForecastCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "forecast", "time-series forecasts (M4 wide CSV in, forecasts out)");
  cmd->require_subcommand(1);

  auto predict_flags = std::make_shared<PredictFlags>();
  CLI::App* predict = cmd->add_subcommand(
      "predict", "forecast every series of an M4-format wide CSV");
  predict->add_option("--input", predict_flags->input, "wide CSV of series")
      ->required();
  predict->add_option("--horizon", predict_flags->horizon, "steps to forecast")
      ->required();
  predict->add_option("--season", predict_flags->season,
                      "known seasonal period (1 when none is known)");
  predict->add_option("--out", predict_flags->out, "point forecasts CSV")
      ->required();
  predict->add_option("--quantiles", predict_flags->quantiles,
                      "quantile levels, e.g. 0.05,0.5,0.95")
      ->delimiter(',');
  predict->add_option("--out-quantiles", predict_flags->out_quantiles,
                      "quantile forecasts CSV (id,quantile,F1..FH)");
  predict->add_option("--method", predict_flags->method,
                      "auto|naive|snaive|naive2|theta|ets|mstl|croston|sba|tsb");
  predict->add_option("--threads", predict_flags->threads,
                      "worker threads (default: all cores)");
  predict->add_option("--holdout-windows", predict_flags->holdout_windows,
                      "auto: rolling origins scoring the candidate models");
  predict->add_option("--combine-top", predict_flags->combine_top,
                      "auto: how many of the best candidates are averaged");
  predict->add_option("--max-history", predict_flags->max_history,
                      "use only the latest N observations (0 = all)");
  predict->add_flag("--no-detect", predict_flags->no_detect,
                    "use only --season, detect no further periods");
  predict->callback([predict_flags] { Check(RunPredict(*predict_flags)); });

  auto eval_flags = std::make_shared<EvalFlags>();
  CLI::App* eval = cmd->add_subcommand(
      "eval", "score forecasts as M4 does: sMAPE, MASE, OWA (vs Naive2)");
  eval->add_option("--forecast", eval_flags->forecast, "point forecasts CSV")
      ->required();
  eval->add_option("--actual", eval_flags->actual, "actual values, wide CSV")
      ->required();
  eval->add_option("--train", eval_flags->train,
                   "training series, wide CSV (MASE scale and Naive2)")
      ->required();
  eval->add_option("--season", eval_flags->season,
                   "seasonal period for MASE and Naive2");
  eval->add_option("--quantiles", eval_flags->quantiles,
                   "quantile forecasts CSV to check for coverage");
  eval->callback([eval_flags] { Check(RunEval(*eval_flags)); });
}

}  // namespace storepilot::cli
