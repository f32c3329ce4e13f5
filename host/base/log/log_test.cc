#include "host/base/log/log.h"

#include <rapidjson/document.h>
#include <spdlog/sinks/ostream_sink.h>

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace prowl::log {
namespace {

std::vector<std::string> lines(const std::ostringstream& out) {
  std::vector<std::string> result;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// Points logging back at stderr so no logger keeps a test's dead stream.
class LogTest : public testing::Test {
 protected:
  void TearDown() override { configure(spdlog::level::info, Format::kText); }
};

TEST(Log, ParsesTheConfigVocabulary) {
  EXPECT_EQ(parse_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_level("error"), spdlog::level::err);
  EXPECT_EQ(parse_level("trace"), spdlog::level::trace);
  EXPECT_FALSE(parse_level("verbose").has_value());
  EXPECT_EQ(parse_format("json"), Format::kJson);
  EXPECT_EQ(parse_format("text"), Format::kText);
  EXPECT_FALSE(parse_format("xml").has_value());
}

TEST_F(LogTest, JsonLinesAreOneEscapedObjectPerRecord) {
  std::ostringstream out;
  configure(spdlog::level::info, Format::kJson, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  auto logger = plugin_logger("scout");
  logger->info("said \"hi\"\nthen \xff left");
  logger->debug("below the level");
  const auto records = lines(out);
  ASSERT_EQ(records.size(), 1u) << out.str();
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(records[0].c_str()).HasParseError()) << records[0];
  EXPECT_STREQ(doc["level"].GetString(), "info");
  EXPECT_STREQ(doc["logger"].GetString(), "plugin:scout");
  EXPECT_STREQ(doc["message"].GetString(), "said \"hi\"\nthen \xEF\xBF\xBD left");
  EXPECT_TRUE(std::regex_match(doc["time"].GetString(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")))
      << doc["time"].GetString();
  EXPECT_EQ(doc.MemberCount(), 4u);
}

TEST_F(LogTest, TextLinesAndReconfigurationReachExistingLoggers) {
  auto logger = get_logger("text-test");
  std::ostringstream out;
  configure(spdlog::level::debug, Format::kText, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->debug("value {}", 42);
  logger->trace("below the level");
  const auto records = lines(out);
  ASSERT_EQ(records.size(), 1u) << out.str();
  EXPECT_TRUE(std::regex_match(
      records[0], std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z debug \[text-test\] value 42)")))
      << records[0];
}

TEST(Log, PluginLoggersAreSharedPerName) {
  EXPECT_EQ(plugin_logger("a"), plugin_logger("a"));
  EXPECT_NE(plugin_logger("a"), plugin_logger("b"));
  EXPECT_EQ(plugin_logger("a")->name(), "plugin:a");
}

}  // namespace
}  // namespace prowl::log
