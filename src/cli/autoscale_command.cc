// `storepilot autoscale simulate|aggregate`: flag parsing and wiring only; the
// work is done by the autoscale library.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <vector>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "autoscale/calendar.h"
#include "autoscale/fleet.h"
#include "autoscale/hpa_policy.h"
#include "autoscale/predictive.h"
#include "autoscale/trace.h"
#include "cli/commands.h"
#include "common/status_macros.h"

namespace storepilot::cli {
namespace {

namespace as = ::storepilot::autoscale;

struct SimulateFlags {
  std::string trace, policy, calendar, out;
  double capacity_per_pod = 0;
  int startup_minutes = 0, min_replicas = 1, max_replicas = 0;
  double target_utilization = 0.7;
  int warmup_minutes = 10080;
  double quantile = as::PredictiveOptions().quantile;
  double scale_up_quantile = as::PredictiveOptions().scale_up_quantile;
  double violation_share = as::PredictiveOptions().violation_share;
  // Shares of critical, high, normal and low requests in the traffic, for
  // what priority admission would have kept alive in violation minutes.
  std::string class_mix = "5,15,50,30";
};

constexpr const char* kClassNames[] = {"critical", "high", "normal", "low"};

struct AggregateFlags {
  std::string input, out;
};

absl::StatusOr<std::vector<double>> ParseClassMix(const std::string& text) {
  std::vector<double> shares;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    double v = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(part), &v) || !(v >= 0) ||
        !std::isfinite(v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--class-mix: '", part, "' is not a share >= 0 (expected four, e.g. 5,15,50,30)"));
    }
    shares.push_back(v);
  }
  if (shares.size() != std::size(kClassNames)) {
    return absl::InvalidArgumentError(
        "--class-mix needs four shares: critical,high,normal,low (e.g. 5,15,50,30)");
  }
  return shares;
}

std::string AdmissionJson(const as::AdmissionReplay& r) {
  std::string out = absl::StrFormat("{\"violation_minutes\": %d, \"classes\": [",
                                    r.violation_minutes);
  auto percent = [](double part, double whole) {
    return whole > 0 ? 100.0 * part / whole : 100.0;
  };
  for (size_t k = 0; k < r.classes.size(); ++k) {
    const as::ClassOutcome& c = r.classes[k];
    absl::StrAppendFormat(
        &out,
        "%s{\"class\": \"%s\", \"requests\": %.0f, "
        "\"served_percent_with_admission\": %.2f, "
        "\"served_percent_without_admission\": %.2f, "
        "\"minutes_served_whole_with_admission\": %d}",
        k ? ", " : "", kClassNames[k], c.demand,
        percent(c.served_admission, c.demand), percent(c.served_fair, c.demand),
        c.minutes_whole);
  }
  out += "]}";
  return out;
}

std::string SummaryJson(const as::FleetSummary& s) {
  return absl::StrFormat(
      "{\"minutes\": %d, \"violation_minutes\": %d, \"unserved_percent\": %.4f, "
      "\"pod_minutes\": %.0f, \"max_pods\": %.0f}",
      s.minutes, s.violation_minutes, s.unserved_percent, s.pod_minutes,
      s.max_pods);
}

absl::StatusOr<std::unique_ptr<as::ScalingPolicy>> MakePolicy(
    const SimulateFlags& f, const as::FleetConfig& fleet,
    const as::MinuteTrace& trace) {
  if (f.policy == "hpa") {
    if (!(f.target_utilization > 0 && f.target_utilization <= 1)) {
      return absl::InvalidArgumentError("--target-utilization must be in (0, 1]");
    }
    return std::make_unique<as::HpaFleetPolicy>(fleet, f.target_utilization);
  }
  if (f.policy == "predictive") {
    as::PredictiveOptions options;
    options.quantile = f.quantile;
    options.scale_up_quantile = f.scale_up_quantile;
    options.violation_share = f.violation_share;
    options.start_seconds = trace.start_seconds;
    if (!f.calendar.empty()) {
      ASSIGN_OR_RETURN(options.calendar, as::LoadCalendar(f.calendar));
    }
    RETURN_IF_ERROR(as::ValidatePredictiveOptions(options));
    return std::make_unique<as::PredictivePolicy>(fleet, std::move(options));
  }
  if (f.policy == "perfect") {
    return std::make_unique<as::PlannedPolicy>(
        as::PerfectForesightPlan(trace.demand, fleet));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown --policy '", f.policy, "' (hpa|predictive|perfect)"));
}

absl::Status RunSimulate(const SimulateFlags& f) {
  as::FleetConfig fleet{f.capacity_per_pod, f.startup_minutes, f.min_replicas,
                        f.max_replicas};
  RETURN_IF_ERROR(as::ValidateFleetConfig(fleet));
  ASSIGN_OR_RETURN(std::vector<double> class_mix, ParseClassMix(f.class_mix));
  ASSIGN_OR_RETURN(as::MinuteTrace trace, as::LoadMinuteTrace(f.trace));
  if (f.warmup_minutes < 0 ||
      static_cast<size_t>(f.warmup_minutes) >= trace.demand.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--warmup-minutes must be in [0, ", trace.demand.size(),
        ") for this trace"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<as::ScalingPolicy> policy,
                   MakePolicy(f, fleet, trace));
  auto begin = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(as::FleetRun run, as::SimulateFleet(trace.demand, fleet,
                                                       *policy, f.warmup_minutes));
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - begin)
                       .count();
  as::PlannedPolicy perfect(as::PerfectForesightPlan(trace.demand, fleet));
  ASSIGN_OR_RETURN(as::FleetRun reference,
                   as::SimulateFleet(trace.demand, fleet, perfect,
                                     f.warmup_minutes));

  ASSIGN_OR_RETURN(as::AdmissionReplay admission,
                   as::ReplayAdmission(trace.demand, run, fleet, class_mix,
                                       f.warmup_minutes));

  std::string csv = "t,timestamp,demand,desired\n";
  csv.reserve(trace.demand.size() * 40);
  for (size_t t = 0; t < trace.demand.size(); ++t) {
    absl::StrAppend(&csv, t, ",",
                    as::FormatTraceTimestamp(trace.start_seconds +
                                             static_cast<int64_t>(t) * 60),
                    ",", trace.demand[t], ",", run.desired[t], "\n");
  }
  RETURN_IF_ERROR(as::WriteFile(f.out, csv));

  const as::FleetSummary& s = run.summary;
  const as::FleetSummary& p = reference.summary;
  double relative = p.pod_minutes > 0 ? s.pod_minutes / p.pod_minutes : 0;
  std::printf(
      "{\"policy\": \"%s\", \"minutes\": %lld, \"warmup_minutes\": %d, "
      "\"violation_minutes\": %lld, \"unserved_percent\": %.4f, "
      "\"pod_minutes\": %.0f, \"pod_minutes_vs_perfect\": %.4f, "
      "\"max_pods\": %.0f, \"simulate_seconds\": %.3f, "
      "\"perfect_foresight\": %s, \"admission\": %s}\n",
      f.policy.c_str(), static_cast<long long>(s.minutes), f.warmup_minutes,
      static_cast<long long>(s.violation_minutes), s.unserved_percent,
      s.pod_minutes, relative, s.max_pods, seconds, SummaryJson(p).c_str(),
      AdmissionJson(admission).c_str());
  return absl::OkStatus();
}

absl::Status RunAggregate(const AggregateFlags& f) {
  ASSIGN_OR_RETURN(as::MinuteTrace trace, as::LoadMinuteTrace(f.input));
  return as::WriteFile(f.out, as::FormatMinuteTrace(trace));
}

// CLI11 exits quietly on RuntimeError, so the reason is printed here.
void Check(const absl::Status& s) {
  if (s.ok()) return;
  std::fprintf(stderr, "autoscale: %s\n", s.ToString().c_str());
  throw CLI::RuntimeError(1);
}

}  // namespace

void AddAutoscaleCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "autoscale", "scaling policies: HPA replica, predictive, fleet simulator");
  cmd->require_subcommand(1);

  auto sf = std::make_shared<SimulateFlags>();
  CLI::App* sim = cmd->add_subcommand(
      "simulate", "replay a request trace through a policy and a pod fleet");
  sim->add_option("--trace", sf->trace, "CSV timestamp,count (per minute or finer)")
      ->required();
  sim->add_option("--policy", sf->policy, "hpa|predictive|perfect")->required();
  sim->add_option("--capacity-per-pod", sf->capacity_per_pod,
                  "requests per minute a ready pod serves within the SLO")
      ->required();
  sim->add_option("--startup-minutes", sf->startup_minutes,
                  "minutes from scale-up to a ready pod")
      ->required();
  sim->add_option("--min-replicas", sf->min_replicas, "lower bound")->required();
  sim->add_option("--max-replicas", sf->max_replicas, "upper bound")->required();
  sim->add_option("--target-utilization", sf->target_utilization,
                  "hpa: target average utilisation (default 0.7)");
  sim->add_option("--warmup-minutes", sf->warmup_minutes,
                  "minutes of history not scored (default 10080 = 7 days)");
  sim->add_option("--calendar", sf->calendar,
                  "predictive: known events CSV name,start,end[,uplift]");
  sim->add_option("--quantile", sf->quantile,
                  "predictive: quantile of demand the pods kept cover (default 0.97)");
  sim->add_option("--scale-up-quantile", sf->scale_up_quantile,
                  "predictive: quantile of demand at t+1+S pods are started for "
                  "(default 0.90)");
  sim->add_option("--violation-share", sf->violation_share,
                  "predictive: keep violation minutes to this share of a shadow "
                  "HPA's at 0.7 (default 0 = off)");
  sim->add_option("--class-mix", sf->class_mix,
                  "shares of critical,high,normal,low requests, to report what "
                  "priority admission keeps alive in violation minutes "
                  "(default 5,15,50,30)");
  sim->add_option("--out", sf->out, "timeline CSV t,timestamp,demand,desired")
      ->required();
  sim->callback([sf] { Check(RunSimulate(*sf)); });

  auto af = std::make_shared<AggregateFlags>();
  CLI::App* agg = cmd->add_subcommand(
      "aggregate", "sum a finer trace (e.g. per second) into minute,count rows");
  agg->add_option("--input", af->input, "CSV timestamp,count")->required();
  agg->add_option("--out", af->out, "minute,count CSV")->required();
  agg->callback([af] { Check(RunAggregate(*af)); });
}

}  // namespace storepilot::cli
