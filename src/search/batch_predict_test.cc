#include "search/batch_predict.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

class BatchPredictTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("batch_predict_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::stringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
};

TEST_F(BatchPredictTest, WritesTopKPerQueryInInputOrder) {
  const std::string products = Write("p.jsonl",
      R"({"id": "a", "title": "oak bookcase", "category": ["Furniture", "Bookcases"]})" "\n"
      "\n"
      R"({"id": 7, "title": "brass lamp", "product_type": "Lamps", "tags": ["sale"]})" "\n"
      R"({"id": "c", "title": "oak lamp", "brand": "Acme", "attributes": {"color": "brown", "size": [1, 2]}})" "\n");
  const std::string queries = Write("q.tsv",
      "query_id\tquery\tquery_class\n1\tlamp\tLamps\n2\toak bookcases\tx\n3\tzzzz\tx\n");
  const std::string out = (dir_ / "out.tsv").string();
  ASSERT_TRUE(RunBatchPredict(products, queries, 1, out).ok());
  EXPECT_EQ(Read(out), "1\t7\n2\ta\n3\t\n");
}

TEST_F(BatchPredictTest, ReportsBadInput) {
  const std::string good_products = Write("p.jsonl", R"({"id": "a", "title": "x"})" "\n");
  const std::string good_queries = Write("q.tsv", "query_id\tquery\n1\tx\n");
  const std::string out = (dir_ / "out.tsv").string();
  EXPECT_EQ(RunBatchPredict((dir_ / "missing").string(), good_queries, 10, out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RunBatchPredict(good_products, (dir_ / "missing").string(), 10, out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RunBatchPredict(good_products, good_queries, 0, out).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunBatchPredict(good_products, good_queries, 10,
                            (dir_ / "no" / "such" / "dir").string()).code(),
            absl::StatusCode::kInternal);
  for (const char* bad : {"{not json", R"({"title": "no id"})", R"({"id": "x"})",
                          R"({"id": "x", "title": "t", "price": "cheap"})",
                          R"({"id": "x", "title": "t", "category": [1]})",
                          R"({"id": "x", "title": "t", "attributes": []})",
                          R"({"id": "", "title": "t"})", "[1, 2]"}) {
    SCOPED_TRACE(bad);
    const std::string path = Write("bad.jsonl", std::string(bad) + "\n");
    absl::Status status = RunBatchPredict(path, good_queries, 10, out);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(":1:"), absl::string_view::npos) << status;
  }
  const std::string one_column = Write("bad.tsv", "query_id\tquery\nonly-id\n");
  EXPECT_EQ(RunBatchPredict(good_products, one_column, 10, out).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storepilot::search
