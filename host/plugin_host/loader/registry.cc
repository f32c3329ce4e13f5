#include "host/plugin_host/loader/registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "host/plugin_host/internal/call_guard.h"
#include "host/plugin_host/loader/host_services.h"
#include "host/plugin_host/loader/host_table.h"

namespace prowl::plugins {
namespace {

using EntryFn = int32_t(const prowl_host_api*, prowl_plugin*, prowl_error*);

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// A one-line reason if `file` or its directory may be written by group or
/// other users (then anyone but the owner could swap the code we run).
std::optional<std::string> check_permissions(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return "cannot stat: " + std::string(std::strerror(errno));
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return "file is writable by group or others (mode " + octal_mode(st.st_mode) + ")";
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  if (ec) return "cannot resolve the directory: " + ec.message();
  if (::stat(dir.c_str(), &st) != 0)
    return "cannot stat directory " + dir.string() + ": " + std::strerror(errno);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return "directory " + dir.string() + " is writable by group or others (mode " +
           octal_mode(st.st_mode) + ")";
  return std::nullopt;
}

void default_log(std::string_view plugin, prowl_log_level level, std::string_view message) {
  static constexpr spdlog::level::level_enum kLevels[] = {
      spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
      spdlog::level::err};
  spdlog::log(kLevels[level], "[{}] {}", plugin, message);
}

}  // namespace

/// The host services a registry offers its plugins.
class Registry::Services final : public HostServices {
 public:
  Services(const Registry& registry, const ServiceSet& services) : registry_(registry), bound_(services) {}

  void log(std::string_view plugin, prowl_log_level level, std::string_view message) const override {
    if (registry_.options_.log) {
      registry_.options_.log(plugin, level, message);
    } else {
      default_log(plugin, level, message);
    }
  }

  std::optional<std::string> config(std::string_view plugin, std::string_view key) const override {
    if (!registry_.options_.config_lookup || key.empty()) return std::nullopt;
    std::string path = "plugins.";
    path.append(plugin).append(".").append(key);
    return registry_.options_.config_lookup(path);
  }

  CallResult codec_compress(std::string_view codec, std::span<const uint8_t> in, int32_t level,
                            prowl_writer* out) const override {
    const Plugin* plugin = registry_.find(PROWL_KIND_CODEC, codec);
    if (plugin == nullptr) return not_found(codec);
    std::string used;
    return plugin->compress(in, level, out, &used);
  }

  CallResult codec_decompress(std::string_view codec, std::span<const uint8_t> in,
                              size_t original_size, prowl_writer* out) const override {
    const Plugin* plugin = registry_.find(PROWL_KIND_CODEC, codec);
    if (plugin == nullptr) return not_found(codec);
    return plugin->decompress(in, original_size, out);
  }

  std::optional<std::string> codec_name(size_t index) const override {
    size_t seen = 0;
    for (const auto& plugin : registry_.plugins_) {
      if (plugin->kind() != PROWL_KIND_CODEC) continue;
      if (seen++ == index) return plugin->name();
    }
    return std::nullopt;
  }

  ServiceLease services(std::string_view plugin) const override {
    std::shared_lock lock(mutex_);
    const bool stopped = stopped_.find(plugin) != stopped_.end();
    return ServiceLease(std::move(lock), bound_, stopped);
  }

  /// The bound services, for the registry's own calls on the loop thread.
  ServiceSet bound() const {
    std::shared_lock lock(mutex_);
    return bound_;
  }

  /// Replaces the bound services once no call holds a lease on them; ends
  /// the registrations of the plugins in `names` in the old ones.
  void rebind(const ServiceSet& services, const std::vector<std::string>& names) {
    std::unique_lock lock(mutex_);
    for (const auto& name : names) bound_.release(name);
    bound_ = services;
  }

  /// Marks `plugin` stopped; its later service calls fail.
  void mark_stopped(const std::string& plugin) {
    std::unique_lock lock(mutex_);
    stopped_.insert(plugin);
  }

 private:
  static CallResult not_found(std::string_view codec) {
    return {PROWL_ERR_NOT_FOUND, "no codec named '" + std::string(codec) + "' is loaded"};
  }

  const Registry& registry_;
  mutable std::shared_mutex mutex_;
  ServiceSet bound_;
  std::set<std::string, std::less<>> stopped_;
};

Registry::Registry(RegistryOptions options)
    : options_(std::move(options)), services_(std::make_unique<Services>(*this, options_.services)) {}

Registry::~Registry() {
  // Instances go first (their destroy() may still log), newest first; their
  // network registrations end before their state does.
  const ServiceSet bound = services_->bound();
  while (!plugins_.empty()) {
    bound.release(plugins_.back()->name());
    plugins_.pop_back();
  }
  for (HostTable* table : tables_) table->detach(services_.get());
}

void Registry::load_directory(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw RegistryError("cannot read plugin directory " + dir.string() + ": " + ec.message());
  for (const auto& entry : it) {
    if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) load_file(file);
}

const PluginRecord& Registry::load_file(const std::filesystem::path& file) {
  PluginRecord& record = records_.emplace_back();
  record.file = file;
  record.refusal = try_load(file, record);
  record.loaded = record.refusal.empty();
  return record;
}

std::string Registry::try_load(const std::filesystem::path& file, PluginRecord& record) {
  if (auto unsafe = check_permissions(file)) return *unsafe;
  std::vector<uint8_t> image;
  std::string error;
  if (!read_plugin_file(file, image, &error)) return error;
  std::optional<PluginImage> info = inspect_plugin_image(image, &error);
  if (!info) return error;
  record.manifest = info->manifest;
  const Manifest& manifest = info->manifest;
  if (auto abi = check_abi(manifest.abi_major, manifest.abi_minor)) return *abi;
  for (const auto& loaded : plugins_) {
    if (loaded->name() == manifest.name)
      return "duplicate plugin name '" + manifest.name + "' (already loaded from " +
             loaded->file().string() + ")";
  }
  if (!info->exports_entry) return "missing entry symbol " PROWL_ENTRY_SYMBOL;

  boost::dll::shared_library library;
  try {
    library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return std::string("cannot load: ") + e.what();
  }
  if (!library.has(PROWL_ENTRY_SYMBOL)) return "missing entry symbol " PROWL_ENTRY_SYMBOL;
  EntryFn& entry = library.get<EntryFn>(PROWL_ENTRY_SYMBOL);

  HostTable& table = HostTable::for_library(library, manifest.name);
  table.attach(services_.get());
  if (std::find(tables_.begin(), tables_.end(), &table) == tables_.end()) tables_.push_back(&table);

  prowl_plugin instance{};
  CallResult init = call_guarded([&](prowl_error* err) { return entry(table.api(), &instance, err); });
  if (!init.ok()) {
    services_->bound().release(manifest.name);
    return "init " + init.message;
  }
  if (std::string bad = Plugin::check_vtable(manifest.kind, instance.vtable); !bad.empty()) {
    services_->bound().release(manifest.name);
    // Hand the instance back to its plugin before refusing it.
    const Plugin refused(manifest, file, instance);
    return bad;
  }
  plugins_.push_back(std::make_unique<Plugin>(manifest, file, instance));
  return {};
}

void Registry::bind_services(const ServiceSet& services) {
  std::vector<std::string> names;
  for (const auto& plugin : plugins_) names.push_back(plugin->name());
  services_->rebind(services, names);
}

void Registry::stop_agent(const Plugin& plugin) {
  plugin.stop();
  services_->mark_stopped(plugin.name());
  services_->bound().release(plugin.name());
}

const Plugin* Registry::find(prowl_kind kind, std::string_view name) const noexcept {
  for (const auto& plugin : plugins_) {
    if (plugin->kind() == kind && plugin->name() == name) return plugin.get();
  }
  return nullptr;
}

std::vector<const Plugin*> Registry::plugins(prowl_kind kind) const {
  std::vector<const Plugin*> out;
  for (const auto& plugin : plugins_) {
    if (plugin->kind() == kind) out.push_back(plugin.get());
  }
  return out;
}

std::vector<std::string> Registry::codec_names() const {
  std::vector<std::string> names;
  for (const Plugin* plugin : plugins(PROWL_KIND_CODEC)) names.push_back(plugin->name());
  return names;
}

}  // namespace prowl::plugins
