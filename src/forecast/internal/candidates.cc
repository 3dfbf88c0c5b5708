#include "forecast/internal/candidates.h"

#include <algorithm>

#include "forecast/autoregression.h"
#include "forecast/baselines.h"
#include "forecast/decomposition.h"
#include "forecast/ets.h"
#include "forecast/intermittent.h"

namespace storepilot::forecast::internal {
namespace {

// Intermittent demand: non-negative with at least this share of zeros.
constexpr double kIntermittentZeroShare = 0.3;
// Seasonal ETS states grow with the period, and its fit with them; beyond
// this (monthly data), seasonality is left to the decomposition and the
// autoregression, and ETS is not a candidate.
constexpr int kMaxEtsPeriod = 12;

PointModel Intermittent(IntermittentMethod m) {
  return [m](absl::Span<const double> y, int h) {
    return IntermittentForecast(y, h, m);
  };
}

PointModel Ets(int period) {
  return [period](absl::Span<const double> y,
                  int h) -> absl::StatusOr<std::vector<double>> {
    bool seasonal = period > 1;
    absl::StatusOr<EtsFit> fit = AutoEts(y, seasonal ? period : 1, seasonal);
    if (!fit.ok()) return fit.status();
    return fit->Forecast(h);
  };
}

PointModel MultiSeasonal(std::vector<int> periods, RemainderModel model) {
  return [periods, model](absl::Span<const double> y, int h) {
    return MultiSeasonalForecast(y, h, periods, model);
  };
}

// `recent_cycles` > 0 fits on only that many of the latest longest cycles,
// which follows a changing pattern more closely than the full history.
PointModel Autoregression(std::vector<int> periods, int recent_cycles,
                          bool seasonal_difference = false) {
  AutoregressionOptions options;
  options.ridge = 1e-4;
  options.seasonal_difference = seasonal_difference;
  if (recent_cycles > 0 && !periods.empty()) {
    options.max_history = recent_cycles * periods.back();
  }
  return [periods, options](absl::Span<const double> y, int h) {
    return AutoregressionForecast(y, h, periods, options);
  };
}

PointModel Snaive(int period) {
  return [period](absl::Span<const double> y, int h) {
    return SeasonalNaiveForecast(y, h, period);
  };
}

PointModel Theta(int period) {
  return [period](absl::Span<const double> y, int h) {
    return ThetaForecast(y, h, period);
  };
}

}  // namespace

std::vector<Candidate> CandidatesFor(Method method, absl::Span<const double> y,
                                     const std::vector<int>& periods,
                                     int season) {
  const int shortest = periods.empty() ? 1 : periods.front();
  const int longest = periods.empty() ? 1 : periods.back();
  switch (method) {
    case Method::kNaive:
      return {{"naive", [](absl::Span<const double> y, int h) {
                 return NaiveForecast(y, h);
               }}};
    case Method::kSeasonalNaive:
      return {{"snaive", Snaive(std::max(season, longest))}};
    case Method::kNaive2:
      return {{"naive2", [season](absl::Span<const double> y, int h) {
                 return Naive2Forecast(y, h, season);
               }}};
    case Method::kTheta: return {{"theta", Theta(season)}};
    case Method::kEts: return {{"ets", Ets(shortest)}};
    case Method::kMultiSeasonal:
      return {{"mstl", MultiSeasonal(periods, RemainderModel::kEts)}};
    case Method::kCroston:
      return {{"croston", Intermittent(IntermittentMethod::kCroston)}};
    case Method::kSba: return {{"sba", Intermittent(IntermittentMethod::kSba)}};
    case Method::kTsb: return {{"tsb", Intermittent(IntermittentMethod::kTsb)}};
    case Method::kAuto: break;
  }
  bool non_negative = !y.empty() && *std::min_element(y.begin(), y.end()) >= 0;
  if (non_negative && ZeroShare(y) >= kIntermittentZeroShare) {
    return {{"sba", Intermittent(IntermittentMethod::kSba)},
            {"tsb", Intermittent(IntermittentMethod::kTsb)},
            {"croston", Intermittent(IntermittentMethod::kCroston)}};
  }
  std::vector<Candidate> out;
  if (!periods.empty()) {
    out.push_back({"ar", Autoregression(periods, 0)});
    out.push_back({"ar_recent", Autoregression(periods, 3)});
    out.push_back({"sar", Autoregression(periods, 0, true)});
    out.push_back({"sar_recent", Autoregression(periods, 3, true)});
    out.push_back({"snaive", Snaive(longest)});
    // out.push_back({"mstl", MultiSeasonal(periods, RemainderModel::kSes)});
  }
  out.push_back({"theta", Theta(season)});
  if (shortest <= kMaxEtsPeriod) out.push_back({"ets", Ets(shortest)});
  if (periods.empty()) out.push_back({"ar", Autoregression(periods, 0)});
  return out;
}

}  // namespace storepilot::forecast::internal
