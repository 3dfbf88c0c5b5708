#include "cli/autoscale_config.h"

#include <filesystem>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace storepilot::cli {
namespace {

using ::testing::HasSubstr;

absl::Status Load(const std::string& text, api::AutoscaleConfig* config) {
  return LoadAutoscaleYaml(YAML::Load(text), config);
}

TEST(AutoscaleConfig, ReadsEveryKey) {
  api::AutoscaleConfig c;
  ASSERT_TRUE(Load(R"(
keda_port: 9090
keda_stream_interval_ms: 500
tick_ms: 200
actuator: dry-run
kubernetes: {api_url: "http://127.0.0.1:8001", token_file: /t, ca_file: /c, timeout_ms: 100}
services:
  - {name: checkout, namespace: shop, deployment: co, capacity_per_pod: 600,
     startup_minutes: 5, min_replicas: 2, max_replicas: 90, target_utilization: 0.6,
     slo_ms: 250, quantile: 0.9}
  - {name: search, capacity_per_pod: learn, slo_ms: 100}
)", &c).ok());
  EXPECT_EQ(c.keda_listen, "0.0.0.0:9090");
  EXPECT_EQ(c.keda_stream_interval_ms, 500);
  EXPECT_EQ(c.tick_ms, 200);
  EXPECT_EQ(c.actuator.mode, api::ActuatorMode::kDryRun);
  EXPECT_EQ(c.actuator.api_url, "http://127.0.0.1:8001");
  EXPECT_EQ(c.actuator.token_file, "/t");
  EXPECT_EQ(c.actuator.ca_file, "/c");
  EXPECT_EQ(c.actuator.timeout_ms, 100);
  ASSERT_EQ(c.services.size(), 2u);
  const autoscale::ServiceSpec& s = c.services[0];
  EXPECT_EQ(s.name, "checkout");
  EXPECT_EQ(s.k8s_namespace, "shop");
  EXPECT_EQ(s.deployment, "co");
  EXPECT_EQ(s.capacity_per_pod, 600);
  EXPECT_EQ(s.startup_minutes, 5);
  EXPECT_EQ(s.min_replicas, 2);
  EXPECT_EQ(s.max_replicas, 90);
  EXPECT_EQ(s.target_utilization, 0.6);
  EXPECT_EQ(s.slo_ms, 250);
  EXPECT_EQ(s.quantile, 0.9);
  EXPECT_EQ(c.services[1].capacity_per_pod, 0);  // learned
  EXPECT_EQ(c.services[1].k8s_namespace, "default");

  api::AutoscaleConfig off;
  ASSERT_TRUE(Load("{keda_port: 0, actuator: off}", &off).ok());
  EXPECT_EQ(off.keda_listen, "");
  EXPECT_EQ(off.actuator.mode, api::ActuatorMode::kOff);
  ASSERT_TRUE(Load("{keda_listen: '127.0.0.1:0', actuator: on}", &off).ok());
  EXPECT_EQ(off.keda_listen, "127.0.0.1:0");
  EXPECT_EQ(off.actuator.mode, api::ActuatorMode::kOn);
}

TEST(AutoscaleConfig, RejectsBadInput) {
  const struct {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"[1, 2]", "expected a mapping"},
      {"{typo: 1}", "unknown key 'typo'"},
      {"{keda_port: 70000}", "keda_port"},
      {"{keda_port: x}", "autoscale"},
      {"{actuator: maybe}", "off, dry-run or on"},
      {"{tick_ms: 0}", "tick_ms"},
      {"{kubernetes: {url: x}}", "unknown key 'url'"},
      {"{services: {name: a}}", "expected a list"},
      {"{services: [{name: a}]}", "capacity_per_pod"},
      {"{services: [{name: a, capacity_per_pod: -1}]}", "capacity_per_pod"},
      {"{services: [{name: a, capacity_per_pod: learn}]}", "slo_ms"},
      {"{services: [{name: a, capacity_per_pod: 5, replicas: 3}]}", "unknown key 'replicas'"},
      {"{services: [{name: 'a b', capacity_per_pod: 5}]}", "name"},
      {"{services: [{name: a, capacity_per_pod: 5, min_replicas: 9, max_replicas: 3}]}",
       "min_replicas"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    api::AutoscaleConfig config;
    absl::Status s = Load(c.yaml, &config);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
}

// Every manifest in deploy/ parses; the ConfigMap's config is a valid
// storepilot config; names and ports agree across the manifests.
TEST(DeployManifests, ParseAndAgree) {
  std::set<std::string> kinds;
  int files = 0;
  std::string scaler_address, grpc_port;
  for (const auto& entry : std::filesystem::directory_iterator(STOREPILOT_DEPLOY_DIR)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    std::vector<YAML::Node> docs;
    ASSERT_NO_THROW(docs = YAML::LoadAllFromFile(entry.path().string()));
    for (const YAML::Node& doc : docs) {
      ASSERT_TRUE(doc.IsMap());
      const std::string kind = doc["kind"].as<std::string>();
      kinds.insert(kind);
      if (kind == "Kustomization") continue;
      EXPECT_FALSE(doc["metadata"]["name"].as<std::string>().empty());
      if (kind == "ConfigMap") {
        const YAML::Node config = YAML::Load(doc["data"]["config.yaml"].as<std::string>());
        api::AutoscaleConfig autoscale;
        absl::Status s = LoadAutoscaleYaml(config["autoscale"], &autoscale);
        EXPECT_TRUE(s.ok()) << s;
        EXPECT_EQ(autoscale.keda_listen, "0.0.0.0:9090");
        EXPECT_EQ(autoscale.services.at(0).name, "checkout");
      }
      if (kind == "Service") {
        for (const auto& p : doc["spec"]["ports"]) {
          if (p["name"].as<std::string>() == "grpc") grpc_port = p["port"].as<std::string>();
        }
      }
      if (kind == "ScaledObject") {
        const YAML::Node t = doc["spec"]["triggers"][0];
        EXPECT_EQ(t["type"].as<std::string>(), "external");
        EXPECT_EQ(t["metadata"]["service"].as<std::string>(), "checkout");
        scaler_address = t["metadata"]["scalerAddress"].as<std::string>();
      }
      if (kind == "Role") {
        EXPECT_EQ(doc["rules"][0]["resources"][0].as<std::string>(), "deployments/scale");
      }
    }
  }
  EXPECT_GE(files, 5);
  for (const char* kind : {"ConfigMap", "StatefulSet", "Service", "ServiceAccount", "Role",
                           "RoleBinding", "ScaledObject"}) {
    EXPECT_TRUE(kinds.contains(kind)) << kind;
  }
  EXPECT_EQ(scaler_address, "storepilot.storepilot.svc:" + grpc_port);
}

}  // namespace
}  // namespace storepilot::cli
