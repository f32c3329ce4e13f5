#include "host/base/config/config.h"

#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>

#include <gtest/gtest.h>

namespace prowl::config {
namespace {

std::string parse_error(std::string_view json) {
  std::string error;
  EXPECT_FALSE(Config::parse(json, "prowl.json", &error).has_value()) << json;
  return error;
}

Config parse_ok(std::string_view json) {
  std::string error;
  auto config = Config::parse(json, "prowl.json", &error);
  EXPECT_TRUE(config.has_value()) << error;
  return config ? std::move(*config) : Config();
}

// An environment lookup reading `env`, which must outlive it.
std::function<const char*(const char*)> lookup_in(const std::map<std::string, std::string>& env) {
  return [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

TEST(Config, DefaultsMatchTheDocumentedSchema) {
  const Config config;
  EXPECT_EQ(config.get_string("data_dir"), "");  // empty: the CLI picks the platform default
  EXPECT_EQ(config.get_string("log.level"), "info");
  EXPECT_EQ(config.get_string("log.format"), "text");
  EXPECT_EQ(config.get_integer("codec.max_output_bytes"), 268435456);
  EXPECT_TRUE(config.get_string_list("plugins.dirs").empty());
  EXPECT_TRUE(config.get_string_list("network.listen").empty());
  EXPECT_FALSE(config.plugin_value("scout", "").has_value());
  EXPECT_THROW(config.get_integer("log.level"), std::invalid_argument);
  EXPECT_THROW(config.get_string("no.such"), std::invalid_argument);
}

TEST(Config, ReadsEveryKeyAndKeepsDefaultsForTheRest) {
  const Config config = parse_ok(R"({
    "data_dir": "/var/lib/prowl",
    "plugins": {"dirs": ["a", "b"], "scout": {"interval": 5, "name": "x", "deep": {"k": [1, true]}}},
    "log": {"level": "debug"},
    "codec": {"max_output_bytes": 1024},
    "network": {"listen": ["/ip4/127.0.0.1/tcp/4001"]}
  })");
  EXPECT_EQ(config.get_string("data_dir"), "/var/lib/prowl");
  EXPECT_EQ(config.get_string_list("plugins.dirs"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(config.get_string("log.level"), "debug");
  EXPECT_EQ(config.get_string("log.format"), "text");
  EXPECT_EQ(config.get_integer("codec.max_output_bytes"), 1024);
  EXPECT_EQ(config.get_string_list("network.listen"),
            std::vector<std::string>{"/ip4/127.0.0.1/tcp/4001"});
}

TEST(Config, PluginValuesAreTextForStringsAndJsonOtherwise) {
  const Config config = parse_ok(
      R"({"plugins": {"scout": {"interval": 5, "name": "x\"y", "deep": {"k": [1, true]}, "n": null}}})");
  EXPECT_EQ(config.plugin_value("scout", "interval"), "5");
  EXPECT_EQ(config.plugin_value("scout", "name"), "x\"y");
  EXPECT_EQ(config.plugin_value("scout", "deep"), R"({"k":[1,true]})");
  EXPECT_EQ(config.plugin_value("scout", "deep.k"), "[1,true]");
  EXPECT_EQ(config.plugin_value("scout", "n"), "null");
  EXPECT_EQ(config.plugin_value("scout", ""),
            R"({"interval":5,"name":"x\"y","deep":{"k":[1,true]},"n":null})");
  EXPECT_FALSE(config.plugin_value("scout", "missing").has_value());
  EXPECT_FALSE(config.plugin_value("scout", "interval.x").has_value());
  EXPECT_FALSE(config.plugin_value("other", "interval").has_value());
}

TEST(Config, RefusesUnknownKeysWithPathAndPosition) {
  EXPECT_EQ(parse_error("{\n  \"log\": {\n    \"levle\": \"debug\"\n  }\n}"),
            "prowl.json:3:5: unknown key 'log.levle'");
  EXPECT_EQ(parse_error(R"({"color": 1})"), "prowl.json:1:2: unknown key 'color'");
  EXPECT_EQ(parse_error(R"({"log": {"level": {"x": 1}}})"),
            "prowl.json:1:19: log.level: expected a string, got an object");
}

TEST(Config, RefusesWrongTypesAndValues) {
  EXPECT_EQ(parse_error(R"({"log": {"level": 3}})"),
            "prowl.json:1:19: log.level: expected a string, got a number");
  EXPECT_EQ(parse_error(R"({"log": {"level": "verbose"}})"),
            "prowl.json:1:19: log.level: \"verbose\" is not one of trace|debug|info|warn|error");
  EXPECT_EQ(parse_error(R"({"codec": {"max_output_bytes": 1.5}})"),
            "prowl.json:1:32: codec.max_output_bytes: expected an integer, got a number");
  EXPECT_EQ(parse_error(R"({"codec": {"max_output_bytes": 0}})"),
            "prowl.json:1:32: codec.max_output_bytes: 0 is outside [1, 9223372036854775807]");
  EXPECT_EQ(parse_error(R"({"plugins": {"dirs": ["a", 2]}})"),
            "prowl.json:1:28: plugins.dirs[1]: expected a string, got a number");
  EXPECT_EQ(parse_error(R"({"plugins": {"scout": 1}})"),
            "prowl.json:1:23: plugins.scout: expected an object, got a number");
  EXPECT_EQ(parse_error(R"({"log": "debug"})"),
            "prowl.json:1:9: log: expected an object, got a string");
  EXPECT_EQ(parse_error("[]"), "prowl.json:1:1: the configuration must be a JSON object, got an array");
}

TEST(Config, NetworkLimitsDefaultAndRead) {
  const std::map<std::string, int64_t> defaults = {
      {"max_connections", 256},
      {"max_pending_handshakes", 64},
      {"max_streams_per_connection", 512},
      {"max_inbound_streams_per_protocol", 128},
      {"handshake_timeout_ms", 10000},
      {"negotiation_timeout_ms", 10000},
      {"idle_timeout_ms", 120000},
      {"dial_backoff_base_ms", 1000},
      {"dial_backoff_max_ms", 300000}};
  const Config config;
  for (const auto& [key, value] : defaults)
    EXPECT_EQ(config.get_integer("network.limits." + key), value) << key;
  const Config set =
      parse_ok(R"({"network": {"limits": {"max_connections": 1, "idle_timeout_ms": 86400000}}})");
  EXPECT_EQ(set.get_integer("network.limits.max_connections"), 1);
  EXPECT_EQ(set.get_integer("network.limits.idle_timeout_ms"), 86400000);
  EXPECT_EQ(set.get_integer("network.limits.max_pending_handshakes"), 64);
}

TEST(Config, RefusesNetworkLimitsOutOfRange) {
  struct Case {
    const char* key;
    const char* value;
    const char* error;  // for {"network": {"limits": {"<key>": <value>}}}
  };
  const Case cases[] = {
      {"max_connections", "0", "1:44: network.limits.max_connections: 0 is outside [1, 1048576]"},
      {"max_connections", "1048577", "1:44: network.limits.max_connections: 1048577 is outside [1, 1048576]"},
      {"max_pending_handshakes", "-1", "1:51: network.limits.max_pending_handshakes: -1 is outside [1, 65536]"},
      {"max_streams_per_connection", "65537",
       "1:55: network.limits.max_streams_per_connection: 65537 is outside [1, 65536]"},
      {"max_inbound_streams_per_protocol", "0",
       "1:61: network.limits.max_inbound_streams_per_protocol: 0 is outside [1, 65536]"},
      {"handshake_timeout_ms", "3600001",
       "1:49: network.limits.handshake_timeout_ms: 3600001 is outside [1, 3600000]"},
      {"negotiation_timeout_ms", "0", "1:51: network.limits.negotiation_timeout_ms: 0 is outside [1, 3600000]"},
      {"idle_timeout_ms", "-120000", "1:44: network.limits.idle_timeout_ms: -120000 is outside [1, 86400000]"},
      {"dial_backoff_base_ms", "0", "1:49: network.limits.dial_backoff_base_ms: 0 is outside [1, 86400000]"},
      {"dial_backoff_max_ms", "86400001",
       "1:48: network.limits.dial_backoff_max_ms: 86400001 is outside [1, 86400000]"},
      {"max_connections", "\"8\"", "1:44: network.limits.max_connections: expected an integer, got a string"},
      {"max_connections", "1.5", "1:44: network.limits.max_connections: expected an integer, got a number"},
      {"max_conections", "8", "1:25: unknown key 'network.limits.max_conections'"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parse_error(std::string(R"({"network": {"limits": {")") + c.key + "\": " + c.value + "}}}"),
              std::string("prowl.json:") + c.error);
  }
  EXPECT_EQ(parse_error("{\"network\": {\"limits\": {\n  \"max_pending_handshakes\": 0}}}"),
            "prowl.json:2:29: network.limits.max_pending_handshakes: 0 is outside [1, 65536]");
  EXPECT_EQ(parse_error(R"({"network": {"limits": 8}})"),
            "prowl.json:1:24: network.limits: expected an object, got a number");
}

TEST(Config, NetworkLimitsHaveEnvironmentVariablesAndOverrides) {
  EXPECT_EQ(environment_name("network.limits.max_connections"), "PROWL_NETWORK_LIMITS_MAX_CONNECTIONS");
  std::map<std::string, std::string> env = {{"PROWL_NETWORK_LIMITS_MAX_CONNECTIONS", "2"}};
  const auto lookup = lookup_in(env);
  Config config;
  std::string error;
  ASSERT_TRUE(config.apply_environment(&error, lookup)) << error;
  EXPECT_EQ(config.get_integer("network.limits.max_connections"), 2);
  env["PROWL_NETWORK_LIMITS_IDLE_TIMEOUT_MS"] = "0";
  EXPECT_FALSE(config.apply_environment(&error, lookup));
  EXPECT_EQ(error,
            "environment variable PROWL_NETWORK_LIMITS_IDLE_TIMEOUT_MS: network.limits.idle_timeout_ms: 0 is "
            "outside [1, 86400000]");
  EXPECT_TRUE(config.set_override("network.limits.negotiation_timeout_ms", "2500", &error)) << error;
  EXPECT_EQ(config.get_integer("network.limits.negotiation_timeout_ms"), 2500);
  EXPECT_FALSE(config.set_override("network.limits.max_streams_per_connection", "many", &error));
  EXPECT_EQ(error, "network.limits.max_streams_per_connection: expected an integer, got \"many\"");
}

TEST(Config, ServiceSettingsAreBoundedWithEnvironmentVariables) {
  const Config defaults;
  EXPECT_EQ(defaults.get_integer("pubsub.d"), 6);
  EXPECT_EQ(defaults.get_string("pubsub.message_id"), "author-seqno");
  EXPECT_EQ(defaults.get_string("pubsub.flood_publish"), "on");
  EXPECT_EQ(defaults.get_integer("rr.max_timeout_ms"), 300000);
  EXPECT_EQ(defaults.get_integer("network.limits.max_identify_bytes"), 65536);
  EXPECT_EQ(parse_error(R"({"pubsub": {"max_message_bytes": 0}})"),
            "prowl.json:1:34: pubsub.max_message_bytes: 0 is outside [1, 268435456]");
  EXPECT_EQ(parse_error(R"({"pubsub": {"heartbeat_interval_ms": 9}})"),
            "prowl.json:1:38: pubsub.heartbeat_interval_ms: 9 is outside [10, 3600000]");
  EXPECT_EQ(parse_error(R"({"pubsub": {"message_id": "sha1"}})"),
            "prowl.json:1:27: pubsub.message_id: \"sha1\" is not one of author-seqno|content-sha256");
  EXPECT_EQ(parse_error(R"({"rr": {"max_inbound_per_peer": 65537}})"),
            "prowl.json:1:33: rr.max_inbound_per_peer: 65537 is outside [1, 65536]");
  EXPECT_EQ(parse_error(R"({"network": {"limits": {"max_kad_message_bytes": 4095}}})"),
            "prowl.json:1:50: network.limits.max_kad_message_bytes: 4095 is outside [4096, 16777216]");
  EXPECT_EQ(parse_error(R"({"pubsub": {"d_lazy": 3, "max_fanout": 3}})"),
            "prowl.json:1:26: unknown key 'pubsub.max_fanout'");

  EXPECT_EQ(environment_name("pubsub.d_lo"), "PROWL_PUBSUB_D_LO");
  const std::map<std::string, std::string> env = {{"PROWL_PUBSUB_D_LO", "3"},
                                                  {"PROWL_PUBSUB_MESSAGE_ID", "content-sha256"},
                                                  {"PROWL_RR_DEFAULT_TIMEOUT_MS", "250"}};
  Config config;
  std::string error;
  ASSERT_TRUE(config.apply_environment(&error, lookup_in(env))) << error;
  EXPECT_EQ(config.get_integer("pubsub.d_lo"), 3);
  EXPECT_EQ(config.get_string("pubsub.message_id"), "content-sha256");
  EXPECT_EQ(config.get_integer("rr.default_timeout_ms"), 250);
  const std::map<std::string, std::string> bad = {{"PROWL_PUBSUB_D", "0"}};
  EXPECT_FALSE(config.apply_environment(&error, lookup_in(bad)));
  EXPECT_EQ(error, "environment variable PROWL_PUBSUB_D: pubsub.d: 0 is outside [1, 1000]");
}

TEST(Config, NumberSettingsTakeDecimalsWithinTheirBounds) {
  const Config defaults;
  EXPECT_DOUBLE_EQ(defaults.get_number("reputation.trust_threshold"), 0.7);
  EXPECT_DOUBLE_EQ(defaults.get_number("reputation.decay"), 0.01);
  EXPECT_EQ(defaults.get_integer("reputation.quarantine_s"), 3600);
  EXPECT_DOUBLE_EQ(parse_ok(R"({"reputation": {"trust_threshold": 0.85}})").get_number("reputation.trust_threshold"),
                   0.85);
  EXPECT_DOUBLE_EQ(parse_ok(R"({"reputation": {"trust_threshold": 1}})").get_number("reputation.trust_threshold"), 1.0);
  EXPECT_EQ(parse_error(R"({"reputation": {"trust_threshold": 1.5}})"),
            "prowl.json:1:36: reputation.trust_threshold: 1.5 is outside [0, 1]");
  EXPECT_EQ(parse_error(R"({"reputation": {"decay": "fast"}})"),
            "prowl.json:1:26: reputation.decay: expected a number, got a string");
  const std::map<std::string, std::string> env = {{"PROWL_REPUTATION_DECAY", "0.25"}};
  Config config;
  std::string error;
  ASSERT_TRUE(config.apply_environment(&error, lookup_in(env))) << error;
  EXPECT_DOUBLE_EQ(config.get_number("reputation.decay"), 0.25);
  const std::map<std::string, std::string> bad = {{"PROWL_REPUTATION_DECAY", "lots"}};
  EXPECT_FALSE(config.apply_environment(&error, lookup_in(bad)));
  EXPECT_EQ(error, "environment variable PROWL_REPUTATION_DECAY: reputation.decay: expected a number, got \"lots\"");
}

TEST(Config, RefusesDuplicateAndDottedKeys) {
  EXPECT_EQ(parse_error(R"({"log": {"level": "info", "level": "debug"}})"),
            "prowl.json:1:27: duplicate key 'log.level'");
  EXPECT_EQ(parse_error(R"({"plugins": {"s": {"a": 1, "a": 2}}})"),
            "prowl.json:1:28: duplicate key 'plugins.s.a'");
  EXPECT_EQ(parse_error(R"({"plugins": {"s": {"a.b": 1}}})"),
            "prowl.json:1:20: key 'plugins.s.a.b': keys must be non-empty and hold no '.'");
}

TEST(Config, SyntaxErrorsGiveLineColumnAndRapidJsonMessage) {
  EXPECT_EQ(parse_error("{\n  \"log\": {\"level\": \"info\",}\n}"),
            "prowl.json:2:27: Missing a name for object member.");
  EXPECT_EQ(parse_error("{} x"), "prowl.json:1:4: The document root must not be followed by other values.");
  EXPECT_EQ(parse_error("{\"data_dir\": \"caf\xc3\xa9\xff\"}"), "prowl.json:1:19: Invalid encoding in string.");
  EXPECT_EQ(parse_error(std::string("{\n \0}", 5)), "prowl.json:2:2: NUL character");
  // Columns count characters, not bytes.
  EXPECT_EQ(parse_error("{\"data_dir\": \"\xc3\xa9\xc3\xa9\", \"x\": 1}"),
            "prowl.json:1:20: unknown key 'x'");
}

TEST(Config, RefusesDeepNestingAndOversizedInput) {
  // Root, plugins and s are three levels; the 62nd '[' (column 24 + 62) is the 65th.
  std::string deep = R"({"plugins": {"s": {"a": )" + std::string(100, '[');
  EXPECT_EQ(parse_error(deep), "prowl.json:1:86: nested deeper than 64 levels");
  std::string big = R"({"data_dir": ")" + std::string(kMaxConfigBytes, 'a') + "\"}";
  EXPECT_EQ(parse_error(big), "prowl.json: 1048592 bytes, more than the 1048576 allowed");
}

TEST(Config, OverridesAreValidatedLikeTheFile) {
  Config config;
  std::string error;
  EXPECT_TRUE(config.set_override("log.level", "debug", &error)) << error;
  EXPECT_EQ(config.get_string("log.level"), "debug");
  EXPECT_FALSE(config.set_override("log.level", "loud", &error));
  EXPECT_EQ(error, "log.level: \"loud\" is not one of trace|debug|info|warn|error");
  EXPECT_EQ(config.get_string("log.level"), "debug");
  EXPECT_TRUE(config.set_override("codec.max_output_bytes", "4096", &error)) << error;
  EXPECT_EQ(config.get_integer("codec.max_output_bytes"), 4096);
  EXPECT_FALSE(config.set_override("codec.max_output_bytes", "4k", &error));
  EXPECT_EQ(error, "codec.max_output_bytes: expected an integer, got \"4k\"");
  EXPECT_FALSE(config.set_override("codec.max_output_bytes", "-1", &error));
  EXPECT_EQ(error, "codec.max_output_bytes: -1 is outside [1, 9223372036854775807]");
  EXPECT_TRUE(config.set_override("plugins.dirs", "/a,/b", &error)) << error;
  EXPECT_EQ(config.get_string_list("plugins.dirs"), (std::vector<std::string>{"/a", "/b"}));
  EXPECT_TRUE(config.set_override("network.listen", R"(["/ip6/::1/tcp/1"])", &error)) << error;
  EXPECT_EQ(config.get_string_list("network.listen"), std::vector<std::string>{"/ip6/::1/tcp/1"});
  EXPECT_FALSE(config.set_override("log.colour", "red", &error));
  EXPECT_EQ(error, "unknown key 'log.colour'");
  EXPECT_FALSE(config.set_override("log", "x", &error));
  EXPECT_EQ(error, "unknown key 'log'");
}

TEST(Config, PluginOverridesMergeIntoFileSettings) {
  Config config = parse_ok(R"({"plugins": {"scout": {"interval": 5, "name": "x"}}})");
  std::string error;
  EXPECT_TRUE(config.set_override("plugins.scout.interval", "7", &error)) << error;
  EXPECT_TRUE(config.set_override("plugins.scout.mode", "fast", &error)) << error;
  EXPECT_TRUE(config.set_override("plugins.other.a.b", "[1]", &error)) << error;
  EXPECT_EQ(config.plugin_value("scout", "interval"), "7");
  EXPECT_EQ(config.plugin_value("scout", "mode"), "fast");
  EXPECT_EQ(config.plugin_value("scout", "name"), "x");
  EXPECT_EQ(config.plugin_value("other", ""), R"({"a":{"b":[1]}})");
  EXPECT_FALSE(config.set_override("plugins.scout..x", "1", &error));
  EXPECT_FALSE(config.set_override("plugins.scout", "3", &error));
  EXPECT_EQ(error, "plugins.scout: expected an object, got a number");
}

TEST(Config, EnvironmentVariablesOverrideByPathName) {
  EXPECT_EQ(environment_name("codec.max_output_bytes"), "PROWL_CODEC_MAX_OUTPUT_BYTES");
  std::map<std::string, std::string> env = {{"PROWL_LOG_LEVEL", "warn"},
                                            {"PROWL_DATA_DIR", "/srv/prowl"},
                                            {"PROWL_PLUGINS_DIRS", "/p"}};
  const auto lookup = lookup_in(env);
  Config config;
  std::string error;
  ASSERT_TRUE(config.apply_environment(&error, lookup)) << error;
  EXPECT_EQ(config.get_string("log.level"), "warn");
  EXPECT_EQ(config.get_string("data_dir"), "/srv/prowl");
  EXPECT_EQ(config.get_string_list("plugins.dirs"), std::vector<std::string>{"/p"});
  env["PROWL_LOG_FORMAT"] = "yaml";
  EXPECT_FALSE(config.apply_environment(&error, lookup));
  EXPECT_EQ(error, "environment variable PROWL_LOG_FORMAT: log.format: \"yaml\" is not one of text|json");
}

TEST(Config, LoadsFilesAndNamesThemInErrors) {
  const std::string path = testing::TempDir() + "prowl-config-test-" + std::to_string(::getpid()) + ".json";
  std::ofstream(path) << "{\"log\": {\"format\": \"json\"}}";
  std::string error;
  auto config = Config::load_file(path, &error);
  ASSERT_TRUE(config.has_value()) << error;
  EXPECT_EQ(config->get_string("log.format"), "json");
  std::ofstream(path) << "{\"log\": {\"format\": 1}}";
  EXPECT_FALSE(Config::load_file(path, &error).has_value());
  EXPECT_EQ(error, path + ":1:20: log.format: expected a string, got a number");
  std::ofstream(path) << std::string(kMaxConfigBytes + 1, ' ');
  EXPECT_FALSE(Config::load_file(path, &error).has_value());
  EXPECT_EQ(error, path + ": larger than the 1048576 bytes allowed");
  std::remove(path.c_str());
  EXPECT_FALSE(Config::load_file(path, &error).has_value());
  EXPECT_EQ(error, "cannot read " + path + ": No such file or directory");
}

}  // namespace
}  // namespace prowl::config
