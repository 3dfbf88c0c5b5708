#include "fraud/transaction_csv.h"

#include <zlib.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace storepilot::fraud {
namespace {

class TransactionCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("storepilot_fraud_csv_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return path;
  }

  std::filesystem::path dir_;
};

constexpr char kHeader[] =
    "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,"
    "TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n";

TEST_F(TransactionCsvTest, ReadsSortedRowsWithUnknownLabels) {
  const std::string path = Write("2018-04-01.csv.gz", std::string(kHeader) +
                                                          "2,2018-04-01 00:00:31,3,4,5.5,31,0,,\n"
                                                          "1,2018-04-01 00:00:30,1,2,10.0,30,0,1,1\n");
  auto rows = ReadTransactionsCsv(path);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].id, 1);
  EXPECT_EQ((*rows)[0].time_ms, *ParseDateMs("2018-04-01") + 30000);
  EXPECT_EQ((*rows)[0].fraud, true);
  EXPECT_FALSE((*rows)[1].fraud.has_value());
  const Order order = (*rows)[1].ToOrder();
  EXPECT_EQ(order.customer_id, "3");
  EXPECT_EQ(order.terminal_id, "4");
  EXPECT_DOUBLE_EQ(order.amount, 5.5);
}

TEST_F(TransactionCsvTest, RejectsBadFiles) {
  EXPECT_EQ(ReadTransactionsCsv((dir_ / "missing.csv.gz").string()).status().code(),
            absl::StatusCode::kNotFound);
  const std::string no_column = Write("a.csv.gz", "TRANSACTION_ID,TX_DATETIME\n1,2\n");
  EXPECT_NE(ReadTransactionsCsv(no_column).status().message().find("missing column"),
            absl::string_view::npos);
  const std::string bad_row =
      Write("b.csv.gz", std::string(kHeader) + "1,yesterday,1,2,10,0,0,0,0\n");
  EXPECT_NE(ReadTransactionsCsv(bad_row).status().message().find(":2: malformed"),
            absl::string_view::npos);
  const std::string bad_label =
      Write("c.csv.gz", std::string(kHeader) + "1,2018-04-01 00:00:30,1,2,10,0,0,maybe,0\n");
  EXPECT_FALSE(ReadTransactionsCsv(bad_label).ok());
  EXPECT_FALSE(ReadTransactionsCsv(Write("d.csv.gz", "")).ok());
}

TEST_F(TransactionCsvTest, ListsDailyFilesInDateOrder) {
  Write("2018-04-02.csv.gz", kHeader);
  Write("2018-04-01.csv.gz", kHeader);
  Write("notes.txt", "x");
  auto files = ListDailyFiles(dir_.string());
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].day_start_ms, *ParseDateMs("2018-04-01"));
  EXPECT_EQ((*files)[1].day_start_ms - (*files)[0].day_start_ms, 24 * 3600 * 1000LL);
  EXPECT_EQ(ListDailyFiles("/nonexistent/dir").status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(ParseDateMs("2018-13-01").ok());
  EXPECT_FALSE(ParseDateMs("yesterday").ok());
}

}  // namespace
}  // namespace storepilot::fraud
