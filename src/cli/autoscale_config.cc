#include "cli/autoscale_config.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace storepilot::cli {
namespace {

absl::Status Unknown(const std::string& where, const std::string& key) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": unknown key '", key, "'"));
}

absl::Status LoadService(const YAML::Node& node, autoscale::ServiceSpec* s) {
  if (!node.IsMap()) return absl::InvalidArgumentError("autoscale.services: expected mappings");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "name") {
      s->name = v.as<std::string>();
    } else if (key == "namespace") {
      s->k8s_namespace = v.as<std::string>();
    } else if (key == "deployment") {
      s->deployment = v.as<std::string>();
    } else if (key == "capacity_per_pod") {
      s->capacity_per_pod = v.as<std::string>() == "learn" ? 0 : v.as<double>();
      if (s->capacity_per_pod <= 0 && v.as<std::string>() != "learn") {
        return absl::InvalidArgumentError(
            "autoscale.services.capacity_per_pod must be > 0 or 'learn'");
      }
    } else if (key == "startup_minutes") {
      s->startup_minutes = v.as<int>();
    } else if (key == "min_replicas") {
      s->min_replicas = v.as<int>();
    } else if (key == "max_replicas") {
      s->max_replicas = v.as<int>();
    } else if (key == "target_utilization") {
      s->target_utilization = v.as<double>();
    } else if (key == "slo_ms") {
      s->slo_ms = v.as<int>();
    } else if (key == "quantile") {
      s->quantile = v.as<double>();
    } else {
      return Unknown("autoscale.services", key);
    }
  }
  if (!node["capacity_per_pod"]) {
    return absl::InvalidArgumentError(absl::StrCat(
        "autoscale service '", s->name, "': capacity_per_pod (a number or 'learn') is required"));
  }
  return autoscale::ValidateServiceSpec(*s);
}

absl::Status LoadKubernetes(const YAML::Node& node, api::ActuatorConfig* a) {
  if (!node.IsMap()) return absl::InvalidArgumentError("autoscale.kubernetes: expected a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "api_url") {
      a->api_url = v.as<std::string>();
    } else if (key == "token_file") {
      a->token_file = v.as<std::string>();
    } else if (key == "ca_file") {
      a->ca_file = v.as<std::string>();
    } else if (key == "timeout_ms") {
      a->timeout_ms = v.as<int>();
    } else {
      return Unknown("autoscale.kubernetes", key);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadAutoscaleYaml(const YAML::Node& node, api::AutoscaleConfig* config) {
  if (!node.IsMap()) return absl::InvalidArgumentError("autoscale: expected a mapping");
  try {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "keda_port") {
        const int port = v.as<int>();
        if (port < 0 || port > 65535) {
          return absl::InvalidArgumentError("autoscale.keda_port must be in [0, 65535]");
        }
        config->keda_listen = port == 0 ? "" : absl::StrCat("0.0.0.0:", port);
      } else if (key == "keda_listen") {
        config->keda_listen = v.as<std::string>();
      } else if (key == "keda_stream_interval_ms") {
        config->keda_stream_interval_ms = v.as<int>();
      } else if (key == "self_service") {
        config->self_service = v.as<std::string>();
      } else if (key == "tick_ms") {
        config->tick_ms = v.as<int>();
      } else if (key == "actuator") {
        // As a string: YAML 1.1 would read a bare off/on as a boolean.
        const std::string mode = v.as<std::string>();
        if (mode == "off" || mode == "false") {
          config->actuator.mode = api::ActuatorMode::kOff;
        } else if (mode == "dry-run") {
          config->actuator.mode = api::ActuatorMode::kDryRun;
        } else if (mode == "on" || mode == "true") {
          config->actuator.mode = api::ActuatorMode::kOn;
        } else {
          return absl::InvalidArgumentError(
              "autoscale.actuator must be off, dry-run or on, got '" + mode + "'");
        }
      } else if (key == "kubernetes") {
        if (absl::Status s = LoadKubernetes(v, &config->actuator); !s.ok()) return s;
      } else if (key == "services") {
        if (!v.IsSequence()) {
          return absl::InvalidArgumentError("autoscale.services: expected a list");
        }
        for (const auto& item : v) {
          autoscale::ServiceSpec spec;
          if (absl::Status s = LoadService(item, &spec); !s.ok()) return s;
          config->services.push_back(std::move(spec));
        }
      } else {
        return Unknown("autoscale", key);
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("autoscale: ", e.what()));
  }
  if (config->keda_stream_interval_ms < 1 || config->tick_ms < 1) {
    return absl::InvalidArgumentError(
        "autoscale.keda_stream_interval_ms and tick_ms must be >= 1");
  }
  return absl::OkStatus();
}

}  // namespace storepilot::cli
