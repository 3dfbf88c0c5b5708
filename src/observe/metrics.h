#ifndef STOREPILOT_OBSERVE_METRICS_H_
#define STOREPILOT_OBSERVE_METRICS_H_

// A small Prometheus metrics registry: counters, gauges and histograms with
// labels, rendered in the Prometheus text exposition format (version 0.0.4).
// Debian 12 does not package prometheus-cpp, hence this module.
//
// Thread safety: all methods are thread-safe. Looking a series up takes a
// mutex; the returned pointer is stable for the registry's lifetime, so hot
// paths look up once and then update with atomics only.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace storepilot::observe {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(double v = 1.0);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds` are the upper bounds of the buckets, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count of observations <= bounds()[i].
  uint64_t CumulativeCount(size_t i) const;
  // Estimated quantile q in [0,1] by linear interpolation inside a bucket.
  double Quantile(double q) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// Latency buckets in seconds, from 50 µs to 10 s.
std::vector<double> LatencyBuckets();
// Buckets for sizes (1, 2, 4, ... 65536).
std::vector<double> SizeBuckets();

class MetricsRegistry {
 public:
  Counter* GetCounter(const std::string& name, const std::string& help,
                      const Labels& labels = {});
  Gauge* GetGauge(const std::string& name, const std::string& help,
                  const Labels& labels = {});
  Histogram* GetHistogram(const std::string& name, const std::string& help,
                          const std::vector<double>& bounds, const Labels& labels = {});
  // A gauge computed when metrics are rendered (e.g. a store's size). The
  // callback runs under the registry's mutex and must not call back into it.
  void AddCallbackGauge(const std::string& name, const std::string& help,
                        std::function<double()> fn, const Labels& labels = {});

  // The whole registry in Prometheus text format.
  std::string RenderText() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> callback;
  };
  struct Family {
    Kind kind;
    std::string help;
    std::map<std::string, Series> series;  // keyed by rendered labels
  };
  Series& FindOrAdd(const std::string& name, const std::string& help, Kind kind,
                    const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Renders labels as {a="x",b="y"} with Prometheus escaping; "" when empty.
std::string RenderLabels(const Labels& labels);

}  // namespace storepilot::observe

#endif  // STOREPILOT_OBSERVE_METRICS_H_
