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

// ETS without seasonality on the series divided by its M4 seasonal indices,
// re-seasonalised: the classical indices are steadier than ETS's own
// seasonal states on short series (as in M4's "Comb" benchmark).
PointModel DeseasonalisedEts(int period) {
  return [period](absl::Span<const double> y,
                  int h) -> absl::StatusOr<std::vector<double>> {
    const int m = std::max(period, 1);
    std::vector<double> index = M4SeasonalIndices(y, m);
    std::vector<double> adjusted(y.size());
    for (size_t t = 0; t < y.size(); ++t) adjusted[t] = y[t] / index[t % m];
    absl::StatusOr<EtsFit> fit = AutoEts(adjusted, 1, false);
    if (!fit.ok()) return fit.status();
    std::vector<double> f = fit->Forecast(h);
    for (int i = 0; i < h; ++i) f[i] *= index[(y.size() + i) % m];
    return f;
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

// Theta with its weight, smoothing and level fitted, and a fixed (OTM) or
// recursively updated (DOTM) trend line.
PointModel OptimisedTheta(int period, bool dynamic) {
  return [period, dynamic](absl::Span<const double> y, int h) {
    return OptimisedThetaForecast(y, h, period, dynamic);
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
  }
  out.push_back({"theta", Theta(std::max(season, shortest))});
  if (shortest <= kMaxEtsPeriod) {
    // Theta with its parameters fitted: on yearly M3 and tourism data each
    // alone beats the standard Theta, and they widen the pool the holdout
    // averages over. Not for longer periods (hourly data), where the
    // multi-seasonal models lead and they only added selection noise and
    // fitting time (BENCHMARKS.md).
    out.push_back({"otm", OptimisedTheta(std::max(season, shortest), false)});
    out.push_back({"dotm", OptimisedTheta(std::max(season, shortest), true)});
    PointModel ets = periods.empty() ? Ets(1) : DeseasonalisedEts(shortest);
    PointModel theta = Theta(shortest);
    out.push_back({"ets", ets});
    // The equal-weight combination of the two, a robust default that the
    // holdout choice can fall back on when no model stands out.
    out.push_back({"theta_ets", [ets, theta](absl::Span<const double> y, int h)
                                   -> absl::StatusOr<std::vector<double>> {
                     absl::StatusOr<std::vector<double>> a = ets(y, h);
                     absl::StatusOr<std::vector<double>> b = theta(y, h);
                     if (!a.ok()) return a;
                     if (!b.ok()) return b;
                     for (int i = 0; i < h; ++i) (*a)[i] = ((*a)[i] + (*b)[i]) / 2;
                     return a;
                   }});
  }
  if (periods.empty()) out.push_back({"ar", Autoregression(periods, 0)});
  return out;
}

}  // namespace storepilot::forecast::internal
