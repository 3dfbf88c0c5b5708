#include "cli/config.h"

#include "cli/autoscale_config.h"

#include "yaml-cpp/yaml.h"

namespace storepilot::cli {

absl::Status LoadYamlConfig(const std::string& path, api::EngineConfig* config,
                            std::string* log_level) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return absl::InvalidArgumentError(path + ": expected a mapping");
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "listen") {
        config->listen = v.as<std::string>();
      } else if (key == "data_dir") {
        config->data_dir = v.as<std::string>();
      } else if (key == "admin_token") {
        config->admin_token = v.as<std::string>();
      } else if (key == "threads") {
        config->threads = v.as<int>();
      } else if (key == "partitions") {
        config->partitions = v.as<int>();
      } else if (key == "max_body_bytes") {
        config->max_body_bytes = v.as<size_t>();
      } else if (key == "idle_timeout_ms") {
        config->idle_timeout_ms = v.as<int>();
      } else if (key == "max_connections") {
        config->max_connections = v.as<int>();
      } else if (key == "fraud_model") {
        config->fraud_model = v.as<std::string>();
      } else if (key == "fraud_retrain_interval_s") {
        config->fraud_retrain_interval_s = v.as<int64_t>();
      } else if (key == "recommend_retrain_interval_s") {
        config->recommend_retrain_interval_s = v.as<int64_t>();
      } else if (key == "search_ltr_interval_s") {
        config->search_ltr_interval_s = v.as<int64_t>();
      } else if (key == "search_ltr_min_searches") {
        config->search_ltr_min_searches = v.as<size_t>();
      } else if (key == "admission") {
        config->admission.enabled = v.as<bool>();
      } else if (key == "admission_queue_delay_ms") {
        config->admission.target_queue_delay_ms = v.as<int>();
      } else if (key == "log_level") {
        *log_level = v.as<std::string>();
      } else if (key == "autoscale") {
        if (absl::Status s = LoadAutoscaleYaml(v, &config->autoscale); !s.ok()) {
          return absl::InvalidArgumentError(path + ": " + std::string(s.message()));
        }
      } else if (key == "shops") {
        for (const auto& s : v) {
          config->shops.push_back({s["shop"].as<std::string>(),
                                   s["api_token"].as<std::string>(),
                                   s["webhook_secret"].as<std::string>("")});
        }
      } else {
        return absl::InvalidArgumentError(path + ": unknown key '" + key + "'");
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(path + ": " + e.what());
  }
  return absl::OkStatus();
}

}  // namespace storepilot::cli
