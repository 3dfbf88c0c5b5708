#include "api/autoscale_runner.h"

#include <chrono>
#include <cmath>

#include "api/engine.h"
#include "common/status_macros.h"
#include "forecast/forecast_hub.h"

namespace storepilot::api {

AutoscaleRunner::AutoscaleRunner(autoscale::Planner* planner,
                                 std::unique_ptr<KubernetesActuator> actuator, int tick_ms)
    : planner_(planner), actuator_(std::move(actuator)), tick_ms_(std::max(1, tick_ms)) {}

AutoscaleRunner::~AutoscaleRunner() { Stop(); }

void AutoscaleRunner::Start() {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      RunOnce();
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(tick_ms_), [this] { return stop_; });
    }
  });
}

void AutoscaleRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AutoscaleRunner::RunOnce() {
  for (const autoscale::ServicePlan& p : planner_->Plans()) {
    if (actuator_ == nullptr || p.desired_replicas <= 0) continue;
    auto it = applied_.find(p.spec.name);
    if (it != applied_.end() && it->second == p.desired_replicas) continue;
    const auto now = std::chrono::steady_clock::now();
    if (auto r = retry_after_.find(p.spec.name); r != retry_after_.end() && now < r->second) {
      continue;
    }
    if (actuator_
            ->Scale(p.spec.name, p.spec.k8s_namespace, p.spec.deployment, p.desired_replicas,
                    p.reason)
            .ok()) {
      applied_[p.spec.name] = p.desired_replicas;
      retry_after_.erase(p.spec.name);
    } else {
      retry_after_[p.spec.name] = now + std::chrono::seconds(30);
    }
  }
}

// The dated platform events (config and PUT /v1/platform/calendar) for the
// planner: forecast's expected_uplift is a relative change (+0.5 = 1.5x);
// without one the policy learns the uplift from past events.
std::vector<autoscale::CalendarEvent> PlannerEvents(const forecast::ForecastHub& forecast) {
  std::vector<autoscale::CalendarEvent> events;
  for (const forecast::CalendarEvent& e : forecast.PlatformEvents()) {
    autoscale::CalendarEvent a;
    a.name = e.name;
    a.start_seconds = e.start_ms / 1000;
    a.end_seconds = e.end_ms / 1000;
    a.uplift = e.expected_uplift && *e.expected_uplift > -1 ? 1 + *e.expected_uplift : 0;
    events.push_back(std::move(a));
  }
  return events;
}

void AutoscaleParts::Stop() {
  if (keda) keda->Shutdown();
  if (runner) runner->Stop();
}

absl::Status CreateAutoscalePlanner(const AutoscaleConfig& config, const Clock* clock,
                                   observe::MetricsRegistry* metrics,
                                   forecast::ForecastHub* forecast, AutoscaleParts* out) {
  autoscale::PlannerOptions options;
  options.self_service = config.self_service;
  ASSIGN_OR_RETURN(out->planner,
                   autoscale::Planner::Create(config.services, options, clock, metrics));
  if (forecast != nullptr) {
    // Pushed counts also make GET /v1/forecast/traffic?service=NAME work.
    out->planner->SetCountSink(
        [forecast](const std::string& service, int64_t minute_ms, double count) {
          forecast->CountRequests(service, minute_ms, std::llround(count));
        });
    out->planner->SetCalendarSource([forecast] { return PlannerEvents(*forecast); });
  }
  return absl::OkStatus();
}

absl::Status StartAutoscale(const AutoscaleConfig& config, const Clock* clock,
                            observe::MetricsRegistry* metrics, forecast::ForecastHub* forecast,
                            AutoscaleParts* out) {
  if (out->planner == nullptr) {
    RETURN_IF_ERROR(CreateAutoscalePlanner(config, clock, metrics, forecast, out));
  }
  if (store::EventLog* log = out->log; log != nullptr) {
    out->planner->SetReadyCheck([log] { return log->ready(); });
    out->planner->SetDecisionLog([log](std::vector<store::AppendItem> items) {
      // Not waited for: a decision lost in a crash is made again on restart.
      log->Append(autoscale::kAutoscaleShop, std::move(items),
                  [](absl::StatusOr<store::AppendResult>) {});
    });
  }
  if (!config.keda_listen.empty()) {
    KedaScalerOptions options;
    RETURN_IF_ERROR(ParseListen(config.keda_listen, &options.host, &options.port));
    options.stream_interval_ms = config.keda_stream_interval_ms;
    ASSIGN_OR_RETURN(out->keda, KedaScaler::Start(options, out->planner.get()));
  }
  std::unique_ptr<KubernetesActuator> actuator;
  if (config.actuator.mode != ActuatorMode::kOff) {
    ASSIGN_OR_RETURN(actuator, KubernetesActuator::Create(config.actuator, metrics));
  }
  out->runner = std::make_unique<AutoscaleRunner>(out->planner.get(), std::move(actuator),
                                                  config.tick_ms);
  out->runner->Start();
  return absl::OkStatus();
}

}  // namespace storepilot::api
