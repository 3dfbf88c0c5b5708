#include "observe/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace storepilot::observe {
namespace {

void AtomicAdd(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::string EscapeLabelValue(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Labels With(const Labels& labels, const std::string& key, const std::string& value) {
  Labels out = labels;
  out.emplace_back(key, value);
  return out;
}

}  // namespace

void Counter::Inc(double v) { AtomicAdd(value_, v); }
void Gauge::Add(double v) { AtomicAdd(value_, v); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  assert(std::is_sorted(bounds_.begin(), bounds_.end()) && "bucket bounds must ascend");
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
}

uint64_t Histogram::CumulativeCount(size_t i) const {
  uint64_t total = 0;
  for (size_t j = 0; j <= i && j <= bounds_.size(); ++j) {
    total += buckets_[j].load(std::memory_order_relaxed);
  }
  return total;
}

double Histogram::Quantile(double q) const {
  uint64_t n = Count();
  if (n == 0) return 0.0;
  double rank = q * static_cast<double>(n);
  uint64_t seen = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    uint64_t c = buckets_[i].load(std::memory_order_relaxed);
    if (static_cast<double>(seen + c) >= rank && c > 0) {
      if (i == bounds_.size()) return bounds_.empty() ? 0.0 : bounds_.back();
      double lo = i == 0 ? 0.0 : bounds_[i - 1];
      double frac = (rank - static_cast<double>(seen)) / static_cast<double>(c);
      return lo + (bounds_[i] - lo) * std::clamp(frac, 0.0, 1.0);
    }
    seen += c;
  }
  return bounds_.empty() ? 0.0 : bounds_.back();
}

std::vector<double> LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
          0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0,
          2.5,     5.0,    10.0};
}

std::vector<double> SizeBuckets() {
  std::vector<double> b;
  for (double v = 1; v <= 65536; v *= 2) b.push_back(v);
  return b;
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

MetricsRegistry::Series& MetricsRegistry::FindOrAdd(const std::string& name,
                                                    const std::string& help, Kind kind,
                                                    const Labels& labels) {
  Family& family = families_[name];
  if (family.series.empty()) {
    family.kind = kind;
    family.help = help;
  }
  assert(family.kind == kind && "a metric name is used with two kinds");
  Series& s = family.series[RenderLabels(labels)];
  s.labels = labels;
  return s;
}

Counter* MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = FindOrAdd(name, help, Kind::kCounter, labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return s.counter.get();
}

Gauge* MetricsRegistry::GetGauge(const std::string& name, const std::string& help,
                                 const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = FindOrAdd(name, help, Kind::kGauge, labels);
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return s.gauge.get();
}

Histogram* MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::vector<double>& bounds,
                                         const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = FindOrAdd(name, help, Kind::kHistogram, labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(bounds);
  return s.histogram.get();
}

void MetricsRegistry::AddCallbackGauge(const std::string& name, const std::string& help,
                                       std::function<double()> fn, const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  FindOrAdd(name, help, Kind::kGauge, labels).callback = std::move(fn);
}

std::string MetricsRegistry::RenderText() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    const char* type = family.kind == Kind::kCounter   ? "counter"
                       : family.kind == Kind::kGauge   ? "gauge"
                                                       : "histogram";
    out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [rendered, s] : family.series) {
      if (s.counter) out += name + rendered + " " + FormatNumber(s.counter->Value()) + "\n";
      if (s.gauge) out += name + rendered + " " + FormatNumber(s.gauge->Value()) + "\n";
      if (s.callback) out += name + rendered + " " + FormatNumber(s.callback()) + "\n";
      if (s.histogram) {
        const Histogram& h = *s.histogram;
        for (size_t i = 0; i < h.bounds().size(); ++i) {
          out += name + "_bucket" +
                 RenderLabels(With(s.labels, "le", FormatNumber(h.bounds()[i]))) + " " +
                 std::to_string(h.CumulativeCount(i)) + "\n";
        }
        out += name + "_bucket" + RenderLabels(With(s.labels, "le", "+Inf")) + " " +
               std::to_string(h.Count()) + "\n";
        out += name + "_sum" + rendered + " " + FormatNumber(h.Sum()) + "\n";
        out += name + "_count" + rendered + " " + std::to_string(h.Count()) + "\n";
      }
    }
  }
  return out;
}

}  // namespace storepilot::observe
