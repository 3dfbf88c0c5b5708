#include "forecast/ets.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "forecast/internal/nelder_mead.h"
#include "forecast/internal/stats.h"

namespace storepilot::forecast {
namespace {

constexpr double kBad = 1e30;

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double Logit(double p) { return std::log(p / (1 - p)); }

struct States {
  double level = 0, slope = 0;
  std::vector<double> season;
};

// Runs the model over y; returns the -2 log-likelihood up to a constant, and
// leaves the final states in `st`. kBad when the model breaks down.
double Filter(absl::Span<const double> y, int m, const EtsSpec& spec,
              double alpha, double beta, double gamma, double phi, States* st,
              double* sse_out) {
  const bool mult_err = spec.error == ErrorType::kMultiplicative;
  const bool has_trend = spec.trend != TrendType::kNone;
  double sse = 0, log_sum = 0;
  double l = st->level, b = has_trend ? st->slope : 0;
  // `phase` is t % m, kept by increment: a division per step would cost as
  // much as the rest of the step.
  int phase = 0;
  double* season = st->season.empty() ? nullptr : st->season.data();
  for (size_t t = 0; t < y.size(); ++t, phase = phase + 1 == m ? 0 : phase + 1) {
    double trend_part = l + phi * b;
    double s = 0;
    double yhat = trend_part;
    if (spec.season == SeasonType::kAdditive) {
      s = season[phase];
      yhat = trend_part + s;
    } else if (spec.season == SeasonType::kMultiplicative) {
      s = season[phase];
      yhat = trend_part * s;
    }
    if (!std::isfinite(yhat)) return kBad;
    double e;
    if (mult_err) {
      if (yhat <= 0) return kBad;
      e = (y[t] - yhat) / yhat;
      log_sum += std::log(yhat);
    } else {
      e = y[t] - yhat;
    }
    sse += e * e;
    // Error-correction forms of the state equations (Hyndman et al. 2008,
    // table 2.2); `u` is the additive-scale innovation.
    double u = mult_err ? e * yhat : e;
    switch (spec.season) {
      case SeasonType::kNone:
        l = trend_part + alpha * u;
        b = phi * b + beta * u;
        break;
      case SeasonType::kAdditive:
        l = trend_part + alpha * u;
        b = phi * b + beta * u;
        season[phase] = s + gamma * u;
        break;
      case SeasonType::kMultiplicative:
        l = trend_part + alpha * u / s;
        b = phi * b + beta * u / s;
        season[phase] = s + gamma * u / trend_part;
        if (trend_part <= 0) return kBad;
        break;
    }
  }
  st->level = l;
  st->slope = has_trend ? b : 0;
  if (sse_out != nullptr) *sse_out = sse;
  const double n = y.size();
  double lik = n * std::log(std::max(sse / n, 1e-300)) + 2 * log_sum;
  return std::isfinite(lik) ? lik : kBad;
}

// Initial seasonal states from up to 3 first cycles, and level/slope from a
// line through the seasonally adjusted first values.
States InitialStates(absl::Span<const double> y, int m, const EtsSpec& spec) {
  States st;
  const int n = y.size();
  std::vector<double> adjusted(y.begin(), y.end());
  if (spec.season != SeasonType::kNone) {
    const bool mult = spec.season == SeasonType::kMultiplicative;
    const int cycles = std::min(3, n / m);
    st.season.assign(m, mult ? 1.0 : 0.0);
    std::vector<double> acc(m, 0);
    for (int c = 0; c < cycles; ++c) {
      double mean = internal::Mean(y.subspan(c * m, m));
      for (int i = 0; i < m; ++i) {
        double v = y[c * m + i];
        acc[i] += mult ? v / mean : v - mean;
      }
    }
    for (int i = 0; i < m; ++i) st.season[i] = acc[i] / cycles;
    for (int t = 0; t < n; ++t) {
      adjusted[t] = mult ? y[t] / st.season[t % m] : y[t] - st.season[t % m];
    }
  }
  const int k = std::min(n, std::max(10, 2 * m));
  internal::Line line = internal::FitLine(absl::MakeConstSpan(adjusted).first(k));
  if (spec.trend == TrendType::kNone) {
    st.level = internal::Mean(absl::MakeConstSpan(adjusted).first(std::min(n, std::max(m, 5))));
  } else {
    st.level = line.intercept;
    st.slope = line.slope;
  }
  return st;
}

int NumSmoothing(const EtsSpec& spec) {
  return 1 + (spec.trend != TrendType::kNone) +
         (spec.trend == TrendType::kDamped) + (spec.season != SeasonType::kNone);
}

}  // namespace

std::string EtsSpec::Name() const {
  std::string name = error == ErrorType::kAdditive ? "A" : "M";
  name += trend == TrendType::kNone ? "N" : trend == TrendType::kAdditive ? "A" : "Ad";
  name += season == SeasonType::kNone ? "N"
          : season == SeasonType::kAdditive ? "A" : "M";
  return name;
}

std::vector<double> EtsFit::Forecast(int horizon) const {
  std::vector<double> out(horizon);
  double damp_sum = 0, damp = 1;
  for (int h = 0; h < horizon; ++h) {
    if (spec.trend != TrendType::kNone) {
      damp *= spec.trend == TrendType::kDamped ? phi : 1;
      damp_sum += damp;
    }
    double trend_part = level + damp_sum * slope;
    int phase = (n + h) % period;
    switch (spec.season) {
      case SeasonType::kNone: out[h] = trend_part; break;
      case SeasonType::kAdditive: out[h] = trend_part + season[phase]; break;
      case SeasonType::kMultiplicative: out[h] = trend_part * season[phase]; break;
    }
  }
  return out;
}

absl::StatusOr<EtsFit> FitEts(absl::Span<const double> y, int period,
                              const EtsSpec& spec, const EtsOptions& options) {
  const int n = y.size();
  const int m = spec.season == SeasonType::kNone ? 1 : period;
  if (n < 4) return absl::InvalidArgumentError("ETS needs at least 4 values");
  if (spec.season != SeasonType::kNone && (m < 2 || n < 2 * m)) {
    return absl::InvalidArgumentError(
        absl::StrCat("seasonal ETS needs 2 cycles of ", m, " values"));
  }
  const bool needs_positive = spec.error == ErrorType::kMultiplicative ||
                              spec.season == SeasonType::kMultiplicative;
  if (needs_positive && *std::min_element(y.begin(), y.end()) <= 0) {
    return absl::InvalidArgumentError(
        "multiplicative ETS needs positive values");
  }
  const States init = InitialStates(y, m, spec);
  const bool has_trend = spec.trend != TrendType::kNone;
  const bool damped = spec.trend == TrendType::kDamped;
  const bool seasonal = spec.season != SeasonType::kNone;
  double scale = 0;
  for (int t = 1; t < n; ++t) scale += std::abs(y[t] - y[t - 1]);
  scale = std::max(scale / (n - 1), 1e-8 * (std::abs(init.level) + 1));

  // Parameters: logit alpha, logit(beta / alpha), logit(gamma / (1 - alpha)),
  // logit((phi - 0.8) / 0.18), level offset, slope offset (in `scale` units).
  // The ratios keep beta < alpha and gamma < 1 - alpha, the usual region.
  struct Params {
    double alpha, beta, gamma, phi, level, slope;
  };
  auto decode = [&](const std::vector<double>& p) {
    Params q{};
    int i = 0;
    q.alpha = 0.0001 + 0.9998 * Sigmoid(p[i++]);
    q.beta = has_trend ? q.alpha * Sigmoid(p[i++]) : 0;
    q.gamma = seasonal ? (1 - q.alpha) * Sigmoid(p[i++]) : 0;
    q.phi = damped ? 0.8 + 0.18 * Sigmoid(p[i++]) : 1;
    q.level = init.level + scale * p[i++];
    q.slope = has_trend ? init.slope + 0.1 * scale * p[i++] : 0;
    return q;
  };
  std::vector<double> start = {Logit(0.2)};
  if (has_trend) start.push_back(Logit(0.1));
  if (seasonal) start.push_back(Logit(0.05));
  if (damped) start.push_back(Logit(0.8));
  start.push_back(0);
  if (has_trend) start.push_back(0);

  States work;
  auto objective = [&](const std::vector<double>& p) {
    Params q = decode(p);
    work.level = q.level;
    work.slope = q.slope;
    work.season = init.season;
    return Filter(y, m, spec, q.alpha, q.beta, q.gamma, q.phi, &work, nullptr);
  };
  internal::NelderMeadOptions nm;
  nm.max_evaluations = options.max_evaluations;
  double best = 0;
  std::vector<double> p = internal::NelderMead(objective, start, nm, &best);
  if (best >= kBad) {
    return absl::InvalidArgumentError(
        absl::StrCat("ETS ", spec.Name(), " does not fit this series"));
  }
  Params q = decode(p);
  States st;
  st.level = q.level;
  st.slope = q.slope;
  st.season = init.season;
  double sse = 0;
  double lik = Filter(y, m, spec, q.alpha, q.beta, q.gamma, q.phi, &st, &sse);

  EtsFit fit;
  fit.spec = spec;
  fit.period = m;
  fit.alpha = q.alpha;
  fit.beta = q.beta;
  fit.gamma = q.gamma;
  fit.phi = q.phi;
  fit.level = st.level;
  fit.slope = st.slope;
  fit.season = seasonal ? st.season : std::vector<double>(1, 0.0);
  fit.n = n;
  // Parameters: smoothing ones, initial level and slope, m - 1 free initial
  // seasonal states, and the error variance.
  const int k = NumSmoothing(spec) + 1 + has_trend + (seasonal ? m - 1 : 0) + 1;
  double aic = lik + 2 * k;
  fit.aicc = n - k - 1 > 0 ? aic + 2.0 * k * (k + 1) / (n - k - 1)
                           : std::numeric_limits<double>::infinity();
  fit.sigma2 = sse / std::max(1, n - k);
  return fit;
}

absl::StatusOr<EtsFit> AutoEts(absl::Span<const double> y, int period,
                               bool allow_season, const EtsOptions& options,
                               TrendSearch trends) {
  const bool positive =
      !y.empty() && *std::min_element(y.begin(), y.end()) > 0;
  const bool seasonal_ok =
      allow_season && period > 1 && static_cast<int>(y.size()) >= 2 * period;
  absl::StatusOr<EtsFit> best =
      absl::InvalidArgumentError("no ETS model fits this series");
  for (ErrorType e : {ErrorType::kAdditive, ErrorType::kMultiplicative}) {
    if (e == ErrorType::kMultiplicative && !positive) continue;
    for (TrendType t : {TrendType::kNone, TrendType::kAdditive, TrendType::kDamped}) {
      if (t != TrendType::kNone && trends == TrendSearch::kNone) continue;
      if (t == TrendType::kAdditive && trends != TrendSearch::kAll) continue;
      for (SeasonType s : {SeasonType::kNone, SeasonType::kAdditive,
                           SeasonType::kMultiplicative}) {
        if (s != SeasonType::kNone && !seasonal_ok) continue;
        if (s == SeasonType::kMultiplicative &&
            (!positive || e == ErrorType::kAdditive)) {
          continue;
        }
        absl::StatusOr<EtsFit> fit = FitEts(y, period, {e, t, s}, options);
        if (!fit.ok()) continue;
        if (!best.ok() || fit->aicc < best->aicc) best = *std::move(fit);
      }
    }
  }
  return best;
}

}  // namespace storepilot::forecast
