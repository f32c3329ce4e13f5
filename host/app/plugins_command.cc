#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "host/app/commands.h"

namespace prowl::cli {
namespace {

/// One row of `plugins list`: name, kind, version, ABI, file, status.
using Row = std::array<std::string, 6>;

Row row_of(const plugins::PluginRecord& record) {
  Row row;
  if (record.manifest) {
    const plugins::Manifest& m = *record.manifest;
    row = {m.name, std::string(plugins::kind_name(m.kind)), m.version,
           std::to_string(m.abi_major) + "." + std::to_string(m.abi_minor), "", ""};
  } else {
    row = {"-", "-", "-", "-", "", ""};
  }
  row[4] = record.file.string();
  row[5] = record.loaded ? "ok" : record.refusal;
  return row;
}

void print_table(const std::vector<plugins::PluginRecord>& records) {
  std::vector<Row> rows = {Row{"NAME", "KIND", "VERSION", "ABI", "FILE", "STATUS"}};
  for (const auto& record : records) rows.push_back(row_of(record));
  std::array<size_t, 6> width{};
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(width[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

void print_json(const std::vector<plugins::PluginRecord>& records) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartArray();
  for (const auto& record : records) {
    const Row row = row_of(record);
    json.StartObject();
    json.Key("name");
    record.manifest ? json.String(row[0]) : json.Null();
    json.Key("kind");
    record.manifest ? json.String(row[1]) : json.Null();
    json.Key("version");
    record.manifest ? json.String(row[2]) : json.Null();
    json.Key("abi");
    record.manifest ? json.String(row[3]) : json.Null();
    json.Key("file");
    json.String(row[4]);
    json.Key("loaded");
    json.Bool(record.loaded);
    json.Key("status");
    json.String(row[5]);
    json.EndObject();
  }
  json.EndArray();
  std::printf("%s\n", buffer.GetString());
}

}  // namespace

void add_plugins_commands(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* group = app.add_subcommand("plugins", "Inspect plugins");
  group->require_subcommand(1);

  CLI::App* list = group->add_subcommand("list", "List the plugins of DIR (default: the plugin directories) and why any is refused");
  auto dir = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  list->add_option("DIR", *dir, "a plugin directory");
  list->add_flag("--json", *as_json, "print JSON instead of a table");
  list->callback([&context, &exit_code, dir, as_json] {
    context.init();
    if (!dir->empty()) context.flags().plugin_dirs = {*dir};
    // The table shows every refusal; no need to log them too.
    const auto& records = context.registry(false).records();
    *as_json ? print_json(records) : print_table(records);
    exit_code = 0;
  });

  CLI::App* check = group->add_subcommand("check", "Check that FILE loads as a plugin (exit 0) or print why not");
  auto file = std::make_shared<std::string>();
  check->add_option("FILE", *file, "a plugin file")->required();
  check->callback([&context, &exit_code, file] {
    context.init();
    plugins::Registry registry(context.registry_options());
    const plugins::PluginRecord& record = registry.load_file(*file);
    if (!record.loaded) throw CliError(*file + ": " + record.refusal);
    // A library may hold several plugins: one line each (a library loads whole or not at all).
    for (const plugins::PluginRecord& each : registry.records()) {
      const plugins::Manifest& m = *each.manifest;
      std::printf("ok: %s %s %s (ABI %u.%u): %s\n", std::string(plugins::kind_name(m.kind)).c_str(),
                  m.name.c_str(), m.version.c_str(), m.abi_major, m.abi_minor, m.description.c_str());
    }
    exit_code = 0;
  });
}

}  // namespace prowl::cli
