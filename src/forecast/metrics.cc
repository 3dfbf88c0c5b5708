#include "forecast/metrics.h"

#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "forecast/baselines.h"

namespace storepilot::forecast {
namespace {

using SeriesIndex = absl::flat_hash_map<std::string, const NamedSeries*>;

SeriesIndex IndexById(absl::Span<const NamedSeries> series) {
  SeriesIndex index;
  for (const NamedSeries& s : series) index[s.id] = &s;
  return index;
}

absl::StatusOr<const NamedSeries*> Find(const SeriesIndex& index,
                                        const std::string& id,
                                        const char* what) {
  auto it = index.find(id);
  if (it == index.end()) {
    return absl::InvalidArgumentError(absl::StrCat("no ", what, " series ", id));
  }
  return it->second;
}

}  // namespace

double Smape(absl::Span<const double> actual, absl::Span<const double> forecast) {
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    double denom = std::abs(actual[i]) + std::abs(forecast[i]);
    if (denom > 0) sum += 200 * std::abs(actual[i] - forecast[i]) / denom;
  }
  return sum / actual.size();
}

double MaseScale(absl::Span<const double> train, int m) {
  const int n = train.size();
  if (m < 1 || n <= m) m = 1;
  if (n <= m) return 0;
  double sum = 0;
  for (int t = m; t < n; ++t) sum += std::abs(train[t] - train[t - m]);
  return sum / (n - m);
}

double Mase(absl::Span<const double> actual, absl::Span<const double> forecast,
            double scale) {
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    sum += std::abs(actual[i] - forecast[i]);
  }
  return sum / actual.size() / scale;
}

absl::StatusOr<EvalReport> Evaluate(absl::Span<const NamedSeries> train,
                                    absl::Span<const NamedSeries> actual,
                                    absl::Span<const NamedSeries> forecasts,
                                    absl::Span<const QuantileRow> quantiles,
                                    int season) {
  if (forecasts.empty()) return absl::InvalidArgumentError("no forecasts");
  SeriesIndex train_by_id = IndexById(train);
  SeriesIndex actual_by_id = IndexById(actual);
  EvalReport r;
  absl::flat_hash_map<std::string, double> scales;
  for (const NamedSeries& f : forecasts) {
    auto tr = Find(train_by_id, f.id, "train");
    if (!tr.ok()) return tr.status();
    auto ac = Find(actual_by_id, f.id, "actual");
    if (!ac.ok()) return ac.status();
    const int h = f.values.size();
    if (h == 0 || static_cast<int>((*ac)->values.size()) < h) {
      return absl::InvalidArgumentError(
          absl::StrCat("series ", f.id, ": ", h, " forecasts but ",
                       (*ac)->values.size(), " actual values"));
    }
    absl::Span<const double> y = absl::MakeConstSpan((*ac)->values).first(h);
    double scale = MaseScale((*tr)->values, season);
    if (!(scale > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("series ", f.id, ": constant training data, MASE undefined"));
    }
    scales[f.id] = scale;
    auto naive2 = Naive2Forecast((*tr)->values, h, season);
    if (!naive2.ok()) return naive2.status();
    r.smape += Smape(y, f.values);
    r.mase += Mase(y, f.values, scale);
    r.naive2_smape += Smape(y, *naive2);
    r.naive2_mase += Mase(y, *naive2, scale);
    r.points += h;
    ++r.series;
  }
  r.smape /= r.series;
  r.mase /= r.series;
  r.naive2_smape /= r.series;
  r.naive2_mase /= r.series;
  r.owa = (r.smape / r.naive2_smape + r.mase / r.naive2_mase) / 2;

  // Quantile rows: hit rates per level, then intervals from level pairs.
  std::map<double, std::pair<double, double>> hits;  // level -> (hits, points)
  absl::flat_hash_map<std::string, std::map<double, const QuantileRow*>> rows;
  for (const QuantileRow& q : quantiles) {
    auto ac = Find(actual_by_id, q.id, "actual");
    if (!ac.ok()) return ac.status();
    if ((*ac)->values.size() < q.values.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("quantile row ", q.id, " is longer than its actuals"));
    }
    auto& [hit, count] = hits[q.level];
    for (size_t i = 0; i < q.values.size(); ++i) {
      hit += (*ac)->values[i] <= q.values[i];
      count += 1;
    }
    rows[q.id][q.level] = &q;
  }
  for (const auto& [level, hc] : hits) {
    r.quantiles.push_back({level, hc.first / hc.second});
  }
  for (const auto& [level, unused] : hits) {
    if (level >= 0.5 || !hits.count(1 - level)) continue;
    IntervalCoverage ic{level, 1 - level, 0, 0};
    double inside = 0, count = 0, msis = 0;
    int n_series = 0;
    for (const auto& [id, by_level] : rows) {
      auto lo = by_level.find(level), hi = by_level.find(1 - level);
      if (lo == by_level.end() || hi == by_level.end()) continue;
      const std::vector<double>& y = actual_by_id[id]->values;
      const double a = 2 * level;
      double score = 0;
      size_t h = std::min(lo->second->values.size(), hi->second->values.size());
      for (size_t i = 0; i < h; ++i) {
        double l = lo->second->values[i], u = hi->second->values[i];
        inside += y[i] >= l && y[i] <= u;
        count += 1;
        score += (u - l) + (y[i] < l ? 2 / a * (l - y[i]) : 0) +
                 (y[i] > u ? 2 / a * (y[i] - u) : 0);
      }
      auto sc = scales.find(id);
      if (sc != scales.end() && h > 0) {
        msis += score / h / sc->second;
        ++n_series;
      }
    }
    if (count == 0) continue;
    ic.coverage = inside / count;
    ic.msis = n_series > 0 ? msis / n_series : 0;
    r.intervals.push_back(ic);
  }
  return r;
}

std::string FormatReport(const EvalReport& r) {
  std::string out = absl::StrFormat(
      "series %d  points %d\nsMAPE %.3f  MASE %.3f  OWA %.3f\n"
      "Naive2 on the same data: sMAPE %.3f  MASE %.3f\n",
      r.series, r.points, r.smape, r.mase, r.owa, r.naive2_smape,
      r.naive2_mase);
  for (const QuantileCalibration& q : r.quantiles) {
    absl::StrAppend(&out, absl::StrFormat("quantile %.3g: %.4f of actuals at or below\n",
                                          q.level, q.hit_rate));
  }
  for (const IntervalCoverage& ic : r.intervals) {
    absl::StrAppend(&out, absl::StrFormat(
                              "interval [%.3g, %.3g]: coverage %.4f  MSIS %.3f\n",
                              ic.lower, ic.upper, ic.coverage, ic.msis));
  }
  return out;
}

}  // namespace storepilot::forecast
