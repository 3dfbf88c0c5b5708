// Tests of the batch commands' library functions on small temporary files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "recommend/batch_io.h"
#include "recommend/ranking_metrics.h"
#include "recommend/sequence_batch.h"
#include "recommend/session_batch.h"

namespace storepilot::recommend {
namespace {

class BatchTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::vector<std::string> Lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("recs_batch_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BatchTest, SessionsPredictWritesOneLinePerInput) {
  SessionBatchOptions o;
  o.train_paths = {Write("train.txt", "a b c\na b c\nx y z\nx y z\n")};
  o.input_path = Write("in.txt", "a b\n\nx\n");
  o.out_path = (dir_ / "out.tsv").string();
  o.k = 3;
  ASSERT_TRUE(PredictSessions(o).ok());
  std::vector<std::string> lines = Lines(o.out_path);
  ASSERT_EQ(lines.size(), 3u);
  // Items of the prefix may come back (no masking); the continuation is there.
  EXPECT_NE(lines[0].find('c'), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].substr(0, 2), "0\t");
  EXPECT_EQ(lines[1].substr(0, 2), "1\t");  // empty prefix: popular items
  EXPECT_NE(lines[2].find('y'), std::string::npos) << lines[2];
  EXPECT_EQ(lines[2].find('b'), std::string::npos) << lines[2];
}

TEST_F(BatchTest, SessionsEvalUsesLabels) {
  SessionBatchOptions o;
  o.train_paths = {Write("train.txt", "a b c\na b c\n")};
  o.input_path = Write("in.tsv", "c\ta b\nq\ta\n");
  o.k = 20;
  auto report = EvaluateSessions(o);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cases, 2);
  EXPECT_DOUBLE_EQ(report->metrics.Summary()[0].hit_rate, 0.5);  // "q" is unknown
  o.input_path = Write("nolabel.txt", "a b\n");
  EXPECT_EQ(EvaluateSessions(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BatchTest, SequencesPredictNeverRepeatsHistory) {
  std::string text;
  for (int u = 0; u < 10; ++u) text += "u" + std::to_string(u) + " a b c d\n";
  text += "me a b\n";
  SequenceBatchOptions o;
  o.input_path = Write("seq.txt", text);
  o.out_path = (dir_ / "out.tsv").string();
  o.k = 2;
  auto report = PredictSequences(o);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> lines = Lines(o.out_path);
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[10], "me\tc d");
  EXPECT_EQ(lines[0], "u0\t");  // every known item is in the history
}

TEST_F(BatchTest, SequencesEvalAndPopRec) {
  std::string text;
  for (int u = 0; u < 6; ++u) text += "u" + std::to_string(u) + " a b c\n";
  SequenceBatchOptions o;
  o.input_path = Write("seq.txt", text);
  auto report = EvaluateSequences(o, EvalTarget::kTest, EvalModel::kBlend);
  ASSERT_TRUE(report.ok());
  EXPECT_DOUBLE_EQ(report->metrics.Summary()[0].hit_rate, 1.0);
  auto pop = EvaluateSequences(o, EvalTarget::kValidation, EvalModel::kPopularity);
  ASSERT_TRUE(pop.ok());
  EXPECT_DOUBLE_EQ(pop->metrics.Summary()[0].hit_rate, 1.0);  // b is the only candidate left
}

TEST_F(BatchTest, Errors) {
  SessionBatchOptions s;
  s.input_path = Write("in.txt", "a\n");
  EXPECT_EQ(PredictSessions(s).status().code(), absl::StatusCode::kInvalidArgument);
  s.train_paths = {(dir_ / "missing.txt").string()};
  EXPECT_EQ(PredictSessions(s).status().code(), absl::StatusCode::kNotFound);
  s.k = 0;
  EXPECT_EQ(PredictSessions(s).status().code(), absl::StatusCode::kInvalidArgument);
  SequenceBatchOptions q;
  q.input_path = (dir_ / "missing.txt").string();
  EXPECT_EQ(PredictSequences(q).status().code(), absl::StatusCode::kNotFound);
  Vocabulary vocab;
  EXPECT_EQ(WriteRecommendations((dir_ / "o").string(), {"a"}, {}, vocab).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RankingMetrics, HitRateNdcgAndMrr) {
  RankingMetrics m({1, 3});
  m.Add({5, 6, 7}, 6);       // rank 2
  m.Add({5, 6, 7}, 9);       // miss
  m.Add({5}, kNoItem);       // unknown target: miss
  m.Add({5, 6, 7}, 5);       // rank 1
  auto s = m.Summary();
  EXPECT_EQ(m.cases(), 4);
  EXPECT_DOUBLE_EQ(s[0].hit_rate, 0.25);
  EXPECT_DOUBLE_EQ(s[1].hit_rate, 0.5);
  EXPECT_DOUBLE_EQ(s[1].mrr, (1.0 + 0.5) / 4);
  EXPECT_NEAR(s[1].ndcg, (1.0 + 1.0 / std::log2(3.0)) / 4, 1e-12);
}

TEST(SplitFields, SpacesAndTabs) {
  auto f = SplitFields("  a\tb  c ");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[2], "c");
}

}  // namespace
}  // namespace storepilot::recommend
