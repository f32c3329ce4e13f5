#include "host/plugin_host/loader/registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "host/plugin_host/internal/call_guard.h"
#include "host/plugin_host/loader/host_services.h"
#include "host/plugin_host/loader/host_api.h"

namespace prowl::plugins {
namespace {

using EntryFn = int32_t(prowl_host*, prowl_get_proc_fn, prowl_error*);

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

  ServiceLease services() const override {
    std::shared_lock lock(mutex_);
    return ServiceLease(std::move(lock), bound_);
  }

  /// Replaces the bound services once no call holds a lease on them, ending
  /// the registrations of `contexts` in the old ones.
  void rebind(const ServiceSet& services, const std::vector<PluginContext*>& contexts) {
    std::unique_lock lock(mutex_);
    for (PluginContext* context : contexts) context->registrations().release_all();
    bound_ = services;
  }

  /// Marks `context` stopped once no call of it holds a lease; its later
  /// service calls fail.
  void mark_stopped(PluginContext& context) {
    std::unique_lock lock(mutex_);
    context.mark_stopped();
  }

 private:
  static CallResult not_found(std::string_view codec) {
    return {PROWL_ERR_NOT_FOUND, "no codec named '" + std::string(codec) + "' is loaded"};
  }

  const Registry& registry_;
  mutable std::shared_mutex mutex_;
  ServiceSet bound_;
};

/// The registrations of one library's entry call: each is checked against
/// the manifest, then created with its context. Holds the plugins until the
/// library is accepted; destroys them (registrations first) otherwise.
class Registry::Loading final : public RegistrationSink {
 public:
  Loading(const LibraryManifest& manifest, std::filesystem::path file, const HostServices* services)
      : manifest_(manifest), file_(std::move(file)), services_(services) {}
  Loading(const Loading&) = delete;
  Loading& operator=(const Loading&) = delete;
  ~Loading() override {
    while (!plugins_.empty()) {
      plugins_.back()->context().registrations().release_all();
      plugins_.back()->context().detach(services_);
      plugins_.pop_back();
    }
  }

  CallResult add(LibraryHost& library, const prowl_plugin_def& def) override {
    CallResult result = check_and_create(library, def);
    if (!result.ok() && first_error_.empty()) first_error_ = result.message;
    return result;
  }

  /// The first registration that failed; empty when none did.
  const std::string& refused_registration() const noexcept { return first_error_; }

  /// A manifest plugin the entry did not register; empty when none is missing.
  std::string missing() const {
    for (const Manifest& m : manifest_.plugins) {
      const bool registered = std::any_of(plugins_.begin(), plugins_.end(),
                                          [&](const auto& p) { return p->name() == m.name; });
      if (!registered)
        return "the manifest lists " + std::string(kind_name(m.kind)) + " '" + m.name +
               "' but the entry did not register it";
    }
    return {};
  }

  /// Hands the created plugins over (the library is accepted).
  std::vector<std::unique_ptr<Plugin>> take() { return std::move(plugins_); }

 private:
  CallResult check_and_create(LibraryHost& library, const prowl_plugin_def& def) {
    auto refuse = [](std::string message) { return CallResult{PROWL_ERR_INVALID_INPUT, std::move(message)}; };
    if (def.struct_size < sizeof(prowl_plugin_def) || def.name == nullptr || def.create == nullptr)
      return refuse("prowl_register_plugin: the definition needs struct_size, name and create");
    const std::string name(def.name, strnlen(def.name, PROWL_NAME_MAX));
    auto listed = std::find_if(manifest_.plugins.begin(), manifest_.plugins.end(),
                               [&](const Manifest& m) { return m.name == name; });
    if (listed == manifest_.plugins.end())
      return refuse("the entry registered '" + name + "', which the manifest does not list");
    if (def.kind != static_cast<uint32_t>(listed->kind))
      return refuse("the entry registered '" + name + "' as " + std::string(kind_name(def.kind)) +
                    "; the manifest lists it as " + std::string(kind_name(listed->kind)));
    if (std::any_of(plugins_.begin(), plugins_.end(), [&](const auto& p) { return p->name() == name; }))
      return refuse("the entry registered '" + name + "' twice");
    if (std::string bad = Plugin::check_vtable(listed->kind, def.vtable); !bad.empty())
      return refuse("plugin '" + name + "': " + bad);
    PluginContext& context = library.context(name, listed->kind);
    context.attach(services_);
    void* self = nullptr;
    CallResult created = call_guarded([&](prowl_error* err) { return def.create(context.handle(), &self, err); });
    if (!created.ok()) {
      context.registrations().release_all();
      created.message = "create of '" + name + "' " + created.message;
      return created;
    }
    plugins_.push_back(std::make_unique<Plugin>(*listed, file_, context, def.vtable, self, def.destroy));
    return {};
  }

  const LibraryManifest& manifest_;
  const std::filesystem::path file_;
  const HostServices* services_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::string first_error_;
};

Registry::Registry(RegistryOptions options)
    : options_(std::move(options)), services_(std::make_unique<Services>(*this, options_.services)) {}

Registry::~Registry() {
  // Instances go first (their destroy() may still log), newest first; their
  // registrations end before their state does.
  while (!plugins_.empty()) {
    plugins_.back()->context().registrations().release_all();
    plugins_.pop_back();
  }
  for (PluginContext* context : contexts_) context->detach(services_.get());
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
  std::optional<LibraryManifest> manifest;
  const std::string refusal = try_load(file, manifest);
  const size_t first = records_.size();
  auto add_record = [&](std::optional<Manifest> m) {
    PluginRecord& record = records_.emplace_back();
    record.file = file;
    record.manifest = std::move(m);
    record.refusal = refusal;
    record.loaded = refusal.empty();
  };
  if (manifest && !manifest->plugins.empty()) {
    for (const Manifest& m : manifest->plugins) add_record(m);
  } else if (manifest) {
    Manifest versions;  // a layout this host does not know: only its ABI is read
    versions.name = "";
    versions.kind = static_cast<prowl_kind>(0);
    versions.abi_major = manifest->abi_major;
    versions.abi_minor = manifest->abi_minor;
    add_record(versions);
  } else {
    add_record(std::nullopt);
  }
  return records_[first];
}

std::string Registry::try_load(const std::filesystem::path& file, std::optional<LibraryManifest>& manifest) {
  if (auto unsafe = check_permissions(file)) return *unsafe;
  std::vector<uint8_t> image;
  std::string error;
  if (!read_plugin_file(file, image, &error)) return error;
  std::optional<PluginImage> info = inspect_plugin_image(image, &error);
  if (!info) return error;
  manifest = info->manifest;
  if (auto abi = check_abi(manifest->abi_major, manifest->abi_minor)) return *abi;
  for (const Manifest& m : manifest->plugins) {
    for (const auto& loaded : plugins_) {
      if (loaded->name() == m.name)
        return "duplicate plugin name '" + m.name + "' (already loaded from " + loaded->file().string() + ")";
    }
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

  LibraryHost& host = LibraryHost::for_library(library);
  Loading loading(*manifest, file, services_.get());
  const CallResult init = host.run_entry(&entry, loading);
  if (!loading.refused_registration().empty()) return loading.refused_registration();
  if (!init.ok()) return "init " + init.message;
  if (std::string missing = loading.missing(); !missing.empty()) return missing;
  for (auto& plugin : loading.take()) {
    PluginContext* context = &plugin->context();
    if (std::find(contexts_.begin(), contexts_.end(), context) == contexts_.end()) contexts_.push_back(context);
    plugins_.push_back(std::move(plugin));
  }
  return {};
}

void Registry::bind_services(const ServiceSet& services) { services_->rebind(services, contexts_); }

void Registry::stop_agent(const Plugin& plugin) {
  plugin.stop();
  services_->mark_stopped(plugin.context());
  plugin.context().registrations().release_all();
}

void Registry::role_event(prowl_role_event_type type, std::string_view peer) const {
  const std::string text(peer);
  const prowl_role_event event{sizeof(prowl_role_event), static_cast<uint32_t>(type), text.c_str()};
  for (const auto& plugin : plugins_) plugin->on_event(event);
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
