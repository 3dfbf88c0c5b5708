#include "api/keda_scaler.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "externalscaler.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace storepilot::api {
namespace {

// absl's canonical codes are gRPC's, number for number.
grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

}  // namespace

std::string KedaScaler::MetricName(const std::string& service) {
  return "storepilot-" + service;
}

struct KedaScaler::Impl final : externalscaler::ExternalScaler::Service {
  autoscale::Planner* planner = nullptr;
  int stream_interval_ms = 10'000;
  std::unique_ptr<grpc::Server> server;
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopping = false;

  absl::StatusOr<autoscale::ServicePlan> PlanFor(const externalscaler::ScaledObjectRef& ref) {
    auto it = ref.scalermetadata().find("service");
    if (it == ref.scalermetadata().end() || it->second.empty()) {
      return absl::InvalidArgumentError(
          "the trigger's metadata must name the storepilot service (key 'service')");
    }
    return planner->Plan(it->second);
  }

  static bool Active(const autoscale::ServicePlan& p) {
    return p.desired_replicas > 0 || p.last_minute_requests > 0;
  }

  grpc::Status IsActive(grpc::ServerContext*, const externalscaler::ScaledObjectRef* ref,
                        externalscaler::IsActiveResponse* out) override {
    auto plan = PlanFor(*ref);
    if (!plan.ok()) return ToGrpc(plan.status());
    out->set_result(Active(*plan));
    return grpc::Status::OK;
  }

  grpc::Status StreamIsActive(
      grpc::ServerContext* ctx, const externalscaler::ScaledObjectRef* ref,
      grpc::ServerWriter<externalscaler::IsActiveResponse>* writer) override {
    while (true) {
      auto plan = PlanFor(*ref);
      if (!plan.ok()) return ToGrpc(plan.status());
      externalscaler::IsActiveResponse out;
      out.set_result(Active(*plan));
      if (!writer->Write(out)) return grpc::Status::CANCELLED;
      // Wait for the next report in short slices, to notice a cancelled
      // client or a server shutting down.
      const auto next =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(stream_interval_ms);
      std::unique_lock<std::mutex> lock(mu);
      while (std::chrono::steady_clock::now() < next) {
        if (stopping) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
        if (ctx->IsCancelled()) return grpc::Status::CANCELLED;
        stopped_cv.wait_for(lock, std::chrono::milliseconds(50));
      }
    }
  }

  grpc::Status GetMetricSpec(grpc::ServerContext*, const externalscaler::ScaledObjectRef* ref,
                             externalscaler::GetMetricSpecResponse* out) override {
    auto plan = PlanFor(*ref);
    if (!plan.ok()) return ToGrpc(plan.status());
    externalscaler::MetricSpec* spec = out->add_metricspecs();
    spec->set_metricname(MetricName(plan->spec.name));
    spec->set_targetsize(1);
    spec->set_targetsizefloat(1.0);
    return grpc::Status::OK;
  }

  grpc::Status GetMetrics(grpc::ServerContext*, const externalscaler::GetMetricsRequest* req,
                          externalscaler::GetMetricsResponse* out) override {
    auto plan = PlanFor(req->scaledobjectref());
    if (!plan.ok()) return ToGrpc(plan.status());
    const std::string name = MetricName(plan->spec.name);
    // KEDA may prefix the metric name (e.g. "s0-storepilot-checkout").
    if (!req->metricname().empty() && !req->metricname().ends_with(name)) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("unknown metric '", req->metricname(), "'; expected '",
                                       name, "'"));
    }
    externalscaler::MetricValue* v = out->add_metricvalues();
    v->set_metricname(name);
    v->set_metricvalue(plan->desired_replicas);
    v->set_metricvaluefloat(plan->desired_replicas);
    return grpc::Status::OK;
  }
};

absl::StatusOr<std::unique_ptr<KedaScaler>> KedaScaler::Start(KedaScalerOptions options,
                                                              autoscale::Planner* planner) {
  if (options.stream_interval_ms < 1) {
    return absl::InvalidArgumentError("the KEDA stream interval must be >= 1 ms");
  }
  std::unique_ptr<KedaScaler> scaler(new KedaScaler());
  scaler->impl_ = std::make_unique<Impl>();
  Impl& impl = *scaler->impl_;
  impl.planner = planner;
  impl.stream_interval_ms = options.stream_interval_ms;
  const std::string address =
      options.host.find(':') != std::string::npos
          ? absl::StrCat("[", options.host, "]:", options.port)
          : absl::StrCat(options.host, ":", options.port);
  int selected = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &selected);
  builder.RegisterService(&impl);
  impl.server = builder.BuildAndStart();
  if (impl.server == nullptr || selected == 0) {
    return absl::UnavailableError("cannot serve the KEDA external scaler on " + address);
  }
  scaler->port_ = static_cast<uint16_t>(selected);
  return scaler;
}

KedaScaler::~KedaScaler() { Shutdown(); }

void KedaScaler::Shutdown() {
  if (impl_ == nullptr || impl_->server == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->stopped_cv.notify_all();
  impl_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  impl_->server->Wait();
  impl_->server.reset();
}

}  // namespace storepilot::api
