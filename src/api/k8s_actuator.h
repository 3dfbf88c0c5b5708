#ifndef STOREPILOT_API_K8S_ACTUATOR_H_
#define STOREPILOT_API_K8S_ACTUATOR_H_

// The direct Kubernetes actuator (autoscale.actuator: on | dry-run): sets a
// Deployment's replicas through its scale subresource,
//   PATCH {api}/apis/apps/v1/namespaces/{ns}/deployments/{name}/scale
//   Content-Type: application/merge-patch+json   {"spec":{"replicas":N}}
// authenticated with the pod's service account token (re-read at every
// call: the kubelet rotates it) over TLS verified with the cluster CA. In
// dry-run mode the decision is logged instead. Needs RBAC get/patch on
// deployments/scale (deploy/rbac.yaml).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/autoscale_config.h"
#include "observe/metrics.h"

namespace storepilot::api {

// A parsed base URL: scheme http or https, host, port, path prefix.
struct ApiEndpoint {
  bool tls = true;
  std::string host;
  std::string port;
  std::string prefix;  // without a trailing '/'
};
// InvalidArgument for another scheme, no host or a bad port.
absl::StatusOr<ApiEndpoint> ParseApiUrl(const std::string& url);

class KubernetesActuator {
 public:
  // mode must not be kOff. For kOn: resolves the API URL (from the
  // environment when not configured; FailedPrecondition when neither is
  // set). `metrics` may be null and must outlive the actuator.
  static absl::StatusOr<std::unique_ptr<KubernetesActuator>> Create(
      const ActuatorConfig& config, observe::MetricsRegistry* metrics);

  // Scales deployment `name` of namespace `ns` to `replicas`. Unavailable
  // when the API cannot be reached, the HTTP status's code when it answers
  // an error (e.g. PermissionDenied for 403, NotFound for 404).
  absl::Status Scale(const std::string& service, const std::string& ns, const std::string& name,
                     int replicas, const std::string& reason);

  ActuatorMode mode() const { return config_.mode; }

 private:
  KubernetesActuator(ActuatorConfig config, ApiEndpoint endpoint,
                     observe::MetricsRegistry* metrics)
      : config_(std::move(config)), endpoint_(std::move(endpoint)), metrics_(metrics) {}
  absl::Status Patch(const std::string& target, const std::string& body);
  void Count(const std::string& service, const char* result);

  ActuatorConfig config_;
  ApiEndpoint endpoint_;
  observe::MetricsRegistry* metrics_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_K8S_ACTUATOR_H_
