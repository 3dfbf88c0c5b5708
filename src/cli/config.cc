#include "cli/config.h"

#include "cli/autoscale_config.h"
#include "forecast/calendar.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace storepilot::cli {
namespace {

// One platform calendar entry as the JSON ParseCalendar reads: start and end
// as epoch ms when they are integers, else as RFC 3339 text.
nlohmann::json YamlEvent(const YAML::Node& e) {
  if (!e.IsMap()) return "not a mapping";
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : e) {
    const std::string key = kv.first.as<std::string>();
    int64_t ms = 0;
    double number = 0;
    if ((key == "start" || key == "end") && YAML::convert<int64_t>::decode(kv.second, ms)) {
      out[key] = ms;
    } else if (key == "expected_uplift" && YAML::convert<double>::decode(kv.second, number)) {
      out[key] = number;
    } else {
      out[key] = kv.second.as<std::string>();
    }
  }
  return out;
}

absl::Status LoadForecast(const YAML::Node& v, api::EngineConfig* config) {
  if (!v.IsMap()) return absl::InvalidArgumentError("forecast: expected a mapping");
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    if (key == "yearly_platform_events") {
      config->yearly_platform_events = kv.second.as<bool>();
    } else if (key == "platform_calendar") {
      nlohmann::json events = nlohmann::json::array();
      for (const auto& e : kv.second) events.push_back(YamlEvent(e));
      auto parsed = forecast::ParseCalendar(events);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError("forecast.platform_calendar: " +
                                          std::string(parsed.status().message()));
      }
      config->platform_calendar = *std::move(parsed);
    } else {
      return absl::InvalidArgumentError("forecast: unknown key '" + key + "'");
    }
  }
  return absl::OkStatus();
}

}  // namespace

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
      } else if (key == "apply_nice") {
        config->apply_nice = v.as<int>();
      } else if (key == "log_background_low_priority") {
        config->log_background_low_priority = v.as<bool>();
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
      } else if (key == "admission_queue_heavy_requests") {
        config->admission.queue_heavy_requests = v.as<bool>();
      } else if (key == "admission_max_queue_ms") {
        config->admission.max_queue_ms = v.as<int>();
      } else if (key == "admission_worker_nice") {
        config->admission.worker_nice = v.as<int>();
      } else if (key == "admission_queue_signal") {
        config->admission.queue_signal = v.as<std::string>();
        if (config->admission.queue_signal != "standing" &&
            config->admission.queue_signal != "oldest") {
          return absl::InvalidArgumentError(
              path + ": admission_queue_signal must be \"standing\" or \"oldest\"");
        }
      } else if (key == "log_level") {
        *log_level = v.as<std::string>();
      } else if (key == "autoscale") {
        if (absl::Status s = LoadAutoscaleYaml(v, &config->autoscale); !s.ok()) {
          return absl::InvalidArgumentError(path + ": " + std::string(s.message()));
        }
      } else if (key == "forecast") {
        if (absl::Status s = LoadForecast(v, config); !s.ok()) {
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
